import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize, canonicalizeText, CanonicalJsonError } from '../../src/sign/canonical-json.js';

// RFC 8785 test vectors from github.com/cyberphone/json-canonicalization, testdata/input and
// testdata/output (input JSON text → canonical output). Non-ASCII characters are written as escapes
// here so that the expected bytes are unambiguous.
const VECTORS: { name: string; input: string; output: string }[] = [
  {
    name: 'structures.json',
    input: '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n  "a": { },\n  "111": [ { } ],\n  "A": { }\n}',
    output: '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
  },
  {
    name: 'values.json',
    input:
      '{\n  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],\n  "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
    output:
      '{"escaping":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
  },
  {
    name: 'weird.json (sorting by UTF-16 code units)',
    input:
      '{\n  "\\u20ac": "Euro Sign",\n  "1": "One",\n  "\\u0080": "Control\\u007f",\n  "\\ud83d\\ude02": "Smiley",\n  "\\u00f6": "Latin Small Letter O With Diaeresis",\n  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "</script>": "Browser Challenge"\n}\n',
    output:
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  },
  {
    name: 'french.json (no locale collation)',
    input:
      '{\n  "peach": "This sorting order",\n  "p\u00e9ch\u00e9": "is wrong according to French",\n  "p\u00eache": "but canonicalization MUST",\n  "sin":   "ingnore locale"\n}\n',
    output:
      '{"peach":"This sorting order","p\u00e9ch\u00e9":"is wrong according to French","p\u00eache":"but canonicalization MUST","sin":"ingnore locale"}',
  },
  {
    name: 'unicode.json (no normalization)',
    input: '{\n  "Unnormalized Unicode":"\\u1e0d\\u0307"\n}\n',
    output: '{"Unnormalized Unicode":"\u1e0d\u0307"}',
  },
];

for (const v of VECTORS) {
  test(`RFC 8785 test vector ${v.name}`, () => {
    assert.equal(canonicalizeText(v.input), v.output);
  });
}

// RFC 8785 Appendix B: IEEE 754 doubles (as hex bit patterns) and their canonical text.
const NUMBERS: [string, string][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

test('RFC 8785 Appendix B: number serialization', () => {
  for (const [hex, text] of NUMBERS) {
    const n = Buffer.from(hex, 'hex').readDoubleBE(0);
    assert.equal(canonicalize(n), text, hex);
    assert.equal(canonicalize([n]), `[${text}]`, hex);
  }
});

test('values JSON cannot represent are errors, never dropped', () => {
  for (const bad of [NaN, Infinity, -Infinity, undefined, () => 1, 10n, { a: undefined }, '\ud800', { '\udc00': 1 }, new Date(0)]) {
    assert.throws(() => canonicalize(bad), CanonicalJsonError, typeof bad);
  }
  const cyc: Record<string, unknown> = {};
  cyc.self = cyc;
  assert.throws(() => canonicalize(cyc), CanonicalJsonError);
});

test('object keys are sorted by UTF-16 code units, not code points', () => {
  // U+FB33 (one unit 0xFB33) sorts after U+1F602 (surrogates 0xD83D 0xDE02); by code point it would be before.
  assert.equal(canonicalize({ '\ufb33': 1, '\u{1F602}': 2 }), '{"\u{1F602}":2,"\ufb33":1}');
  assert.equal(canonicalize({ b: [1, { d: 1, c: 2 }], a: null }), '{"a":null,"b":[1,{"c":2,"d":1}]}');
});
