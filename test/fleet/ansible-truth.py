# The truth for the inventory comparison: ansible-core's own InventoryManager and VariableManager, as
# `ansible-inventory --list` and `ansible all --list-hosts --limit` use them, run once for many cases
# (one Python start instead of two CLI runs per case). stdin: JSON [{"file", "limits": [..]}];
# stdout: JSON [{"error"} | {"groups": {name: {"hosts", "children"}}, "hostvars", "limits": [..]}].
import json
import os
import sys

os.environ.setdefault('ANSIBLE_INVENTORY_UNPARSED_FAILED', 'True')
os.environ.setdefault('ANSIBLE_HOST_PATTERN_MISMATCH', 'ignore')
os.environ.setdefault('ANSIBLE_LOCALHOST_WARNING', 'False')
os.environ.setdefault('ANSIBLE_INVENTORY_ENABLED', 'yaml,ini')
os.environ.setdefault('ANSIBLE_NOCOLOR', '1')

from ansible.cli.inventory import INTERNAL_VARS  # noqa: E402
from ansible.errors import AnsibleError  # noqa: E402
from ansible.inventory.manager import InventoryManager  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.vars.manager import VariableManager  # noqa: E402
from ansible.utils.display import Display  # noqa: E402

Display().verbosity = 0


def plain(v):
    return json.loads(json.dumps(v, default=str))


def one(case):
    loader = DataLoader()
    try:
        inv = InventoryManager(loader=loader, sources=[case['file']])
    except AnsibleError as e:
        return {'error': str(e)}
    vm = VariableManager(loader=loader, inventory=inv)
    groups = {}
    for name, g in inv.groups.items():
        groups[name] = {'hosts': [h.name for h in g.hosts], 'children': [c.name for c in g.child_groups]}
    hostvars = {}
    for h in inv.get_hosts('all'):
        v = vm.get_vars(host=h, include_hostvars=False, stage='all')
        hostvars[h.name] = plain({k: x for k, x in v.items() if k not in INTERNAL_VARS})
    limits = []
    for lim in case['limits']:
        try:
            inv.subset(lim)
            inv.clear_pattern_cache()
            limits.append({'hosts': [h.name for h in inv.get_hosts('all')]})
        except AnsibleError as e:
            limits.append({'error': str(e)})
        finally:
            inv.subset(None)
            inv.clear_pattern_cache()
    return {'groups': groups, 'hostvars': hostvars, 'limits': limits}


out = []
for case in json.load(sys.stdin):
    try:
        out.append(one(case))
    except Exception as e:  # a crash of the truth is a result too: never a silent agreement
        out.append({'error': 'CRASH %s: %s' % (type(e).__name__, e)})
json.dump(out, sys.stdout)
