/**
 * The HT813 P-value catalogue, as data. Sources: reference §1 (grandstream-reference.md), the
 * HT813 user guide pages BASIC SETTINGS / ADVANCED SETTINGS / FXS PORT / FXO PORT.
 *
 * Rules applied to every entry:
 * - reset group (user guide "Reset Type"; reference §6):
 *   `isp`   = exactly the FW802 basic_pvalues set ISP_DATA_IDS below (IP mode, PPPoE, web port...);
 *   `voip`  = service-provider data: both SIP profiles, provisioning servers/paths/credentials and
 *             certificates, TR-069, FXO/PSTN routing (access code, PINs, forwards, stage, rings),
 *             star codes and the call-feature switch, dial plans;
 *   `other` = everything else (tones, FXS/FXO line and SLIC settings, system, NAT router): Full only.
 * - level `user` exactly for the Basic Settings page (builders.ts `maker`), `admin` otherwise.
 * - `secret`: passwords (type password), PINs (digits string), private keys (text).
 * - `reboot`: WAN/LAN addressing, web ports and access mode, device mode, VLAN and
 *   802.1p, time zone, internet protocol — what the template marks "Reboot required", except
 *   syslog (P207/P208/P1387) and the SSH/Telnet ports (P27006/P28128), which this unit applies at once.
 * - ids are numeric; 99001-99004 are pseudo P-values for status (system.ts PSEUDO_IDS).
 */
import type { ParamDef } from '../types';
import { FXO } from './fxo';
import { FXS_LINE } from './fxs-line';
import { NETWORK } from './network';
import { PROVISIONING } from './provisioning';
import { SIP_PROFILES } from './sip-profiles';
import { STAR_CODES } from './star-codes';
import { SYSTEM } from './system';
import { TONES } from './tones';
import { TR069 } from './tr069';
import { WEB_ACCESS } from './web-access';

/** HT802 `etc/basic_pvalues` (reference §6): the ISP-data reset set. */
export const ISP_DATA_IDS: readonly number[] = [
  ...range(8, 28),
  64, 82, 83,
  ...range(92, 95),
  143, 146, 148, 190, 196, 246, 269, 276, 342, 901, 1415,
  ...range(1419, 1426),
  1650, 1683,
  ...range(5026, 5037),
  20701, 20702, 27006, 27010, 28113, 28116, 28117, 28120, 28128,
];

export const CATALOGUE: readonly ParamDef[] = [
  ...SYSTEM,
  ...NETWORK,
  ...WEB_ACCESS,
  ...PROVISIONING,
  ...TR069,
  ...TONES,
  ...FXS_LINE,
  ...SIP_PROFILES,
  ...FXO,
  ...STAR_CODES,
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
