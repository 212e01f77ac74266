// Placeholder: the collector for this fact family defines its shape here.
export interface ServiceFacts {
  installed: boolean;
}
