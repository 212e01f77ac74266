import type { MacBoot, MacKernel } from '../../facts/mac.js';
import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence, type Verdict } from '../verdict.js';

/** Debian's kernels (10 and later) start AppArmor unless the command line says otherwise (Debian wiki: AppArmor/HowToUse). */
const DEBIAN_DEFAULT_LSM = 'apparmor';

function judgeLive(k: MacKernel): Verdict {
  const se = k.selinux.enforcing;
  if (se?.value) return pass('SELinux is enforcing', se.source);
  const aa = k.apparmor.enabled;
  if (aa?.value) {
    const p = k.apparmor.profiles;
    if (!p)
      return unknown(
        `AppArmor is enabled but its loaded profiles could not be read: ${k.apparmor.profilesError ?? 'no reason given'}`,
        aa.source,
      );
    const complain: Evidence = {
      ...p.source,
      message: `complain mode: ${p.complainNames.join(', ')}${p.complain > p.complainNames.length ? ', …' : ''}`,
    };
    if (p.enforce > 0 && p.complain === 0)
      return pass(`AppArmor is enabled with ${p.enforce} profile(s) in enforce mode`, [aa.source, p.source]);
    if (p.enforce > 0)
      return warn(`AppArmor enforces ${p.enforce} profile(s) but ${p.complain} are in complain mode`, [aa.source, complain]);
    if (p.complain > 0)
      return fail(`AppArmor is enabled but all ${p.complain} loaded profile(s) are in complain mode (nothing enforced)`, [
        aa.source,
        complain,
      ]);
    return fail('AppArmor is enabled but no profile is loaded', [aa.source, p.source]);
  }
  const ev: Evidence[] = [];
  if (se) ev.push({ ...se.source, message: 'SELinux is permissive' });
  if (aa) ev.push({ ...aa.source, message: 'AppArmor is built into the kernel but disabled' });
  if (!aa) ev.push({ path: '/sys/module/apparmor', message: 'absent: the running kernel does not offer AppArmor' });
  if (!se) ev.push({ path: '/sys/fs/selinux', message: 'absent: the running kernel does not offer SELinux (or selinuxfs is not mounted)' });
  if (k.lsm) ev.push({ ...k.lsm.source, message: `active LSMs: ${k.lsm.value.join(', ')}` });
  const what = se ? 'SELinux is permissive' : aa ? 'AppArmor is disabled' : 'The running kernel offers neither AppArmor nor SELinux';
  return fail(`${what}: no mandatory access control is enforced`, ev);
}

function judgeBoot(b: MacBoot): Verdict {
  const param = (n: string) => b.cmdline.filter((c) => c.name === n).at(-1) ?? null;
  const ev = (c: MacBoot['cmdline'][number]): Evidence => ({ ...c.source, message: `kernel parameter ${c.name}=${c.value}` });
  const security = param('security');
  const lsm = param('lsm');
  const lsmList = lsm ? lsm.value.split(',') : null;
  const sel = b.selinuxConfig;
  const selinuxBoots = (security?.value === 'selinux' || lsmList?.includes('selinux')) && param('selinux')?.value !== '0';
  if (sel?.value === 'enforcing' && selinuxBoots && param('enforcing')?.value !== '0')
    return pass('SELinux will boot enforcing (SELINUX=enforcing, SELinux on the kernel command line)', [
      sel.source,
      ...[security, lsm].filter((x) => x !== null).map(ev),
    ]);
  const aaParam = param('apparmor');
  if (aaParam?.value === '0') return fail('AppArmor is switched off on the kernel command line (apparmor=0)', ev(aaParam));
  if (security && security.value !== DEBIAN_DEFAULT_LSM)
    return fail(`The kernel command line selects security=${security.value}, not AppArmor${sel ? ` (SELINUX=${sel.value})` : ''}`, [
      ev(security),
      ...(sel ? [sel.source] : []),
    ]);
  if (lsmList && !lsmList.includes('apparmor')) return fail(`The kernel command line lsm=${lsm!.value} leaves AppArmor out`, ev(lsm!));
  if (!b.apparmorPackage.installed)
    return fail('The apparmor package is not installed: no profiles are loaded at boot', {
      ...b.apparmorPackage.source,
      message: 'apparmor not installed',
    });
  if (b.apparmorService && !b.apparmorService.value)
    return fail('apparmor.service is not enabled: profiles are not loaded at boot', b.apparmorService.source);
  const p = b.apparmorProfiles;
  if (!p || p.enforce + p.complain === 0)
    return fail('No AppArmor profile in /etc/apparmor.d', { path: '/etc/apparmor.d', message: 'no profiles' });
  const complain: Evidence = { path: '/etc/apparmor.d', message: `complain mode: ${p.complainNames.join(', ')}` };
  if (p.enforce === 0) return fail(`All ${p.complain} AppArmor profile(s) in /etc/apparmor.d are in complain mode`, complain);
  const base = `AppArmor will be on at boot (Debian kernel default, apparmor ${b.apparmorPackage.version ?? ''} installed) with ${p.enforce} profile(s) in enforce mode`;
  if (p.complain > 0) return warn(`${base}, but ${p.complain} in complain mode`, complain);
  return pass(base, [b.apparmorPackage.source, p.source]);
}

export default defineCheck({
  id: 'fs.mandatory-access-control',
  remediation:
    'Install apparmor and apparmor-profiles, keep apparmor= and security= off the kernel command line, and put the profiles in enforce mode (aa-enforce /etc/apparmor.d/*).',
  needs: ['mac'],
  evaluate({ mac }) {
    return mac.kernel ? judgeLive(mac.kernel) : judgeBoot(mac.boot);
  },
});
