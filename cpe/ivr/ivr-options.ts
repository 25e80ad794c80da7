/**
 * The voice menu's options (user guide table 5, "Configuring HT813 Through Voice Prompts"), in
 * the order `*` steps through them: what each announces, what `9` toggles to, and which take a
 * 12-digit address. Writes are batches for IvrHost.apply; P-numbers per reference §1.2–1.3.
 */
import type { PromptId } from '../media/prompts/prompt-text';
import type { IvrHost } from './ivr-host';
import { addressWords, serverWords, symbols } from './speak';

export interface IvrOption {
  readonly id: string;
  /** The option's name and current value. */
  announce(h: IvrHost): PromptId[];
  /** `9`: the next choice, as the batch that selects it. */
  toggle?(h: IvrHost): Record<string, string>;
  /** A 12-digit IPv4 entry: the batch for it, or a prompt saying why not (e.g. not in static IP mode). */
  address?(h: IvrHost, ip: string): Record<string, string> | PromptId;
  /** Options the line acts on itself. */
  readonly special?: 'directIp' | 'voicemail' | 'reset';
}

/** A cycle over an enum P-value: [value, prompt] in toggle order; announced as its name (if any) and the choice. */
function cycle(id: number, name: PromptId | undefined, choices: ReadonlyArray<readonly [string, PromptId]>): Pick<IvrOption, 'announce' | 'toggle'> {
  const at = (h: IvrHost): number => choices.findIndex(([v]) => v === h.get(id));
  return {
    announce: (h) => [...(name ? [name] : []), choices[at(h)]?.[1] ?? 'notSet'],
    toggle: (h) => ({ [`P${id}`]: (choices[(at(h) + 1) % choices.length] as readonly [string, PromptId])[0] }),
  };
}

const STATIC = '1';

/** Four octet P-values (P9–P12 …) as a dotted address. */
function octets(h: IvrHost, first: number): string {
  return [0, 1, 2, 3].map((k) => h.get(first + k)).join('.');
}

/**
 * Options 02–05: in static IP mode the stored address, which an entry replaces (reboot to apply,
 * as the guide says); otherwise what the network gave, and an entry is refused.
 */
function staticAddress(name: PromptId, first: number, live: (h: IvrHost) => string | undefined): Omit<IvrOption, 'id'> {
  return {
    announce: (h) => [name, ...addressWords(h.get(8) === STATIC ? octets(h, first) : live(h))],
    address: (h, ip) => {
      if (h.get(8) !== STATIC) return 'invalidEntry';
      const parts = ip.split('.');
      return Object.fromEntries(parts.map((o, k) => [`P${first + k}`, o]));
    },
  };
}

/** Options 13/14: a server path the entry replaces with the address (no path, scheme from P212). */
function server(name: PromptId, id: number): Omit<IvrOption, 'id'> {
  return {
    announce: (h) => [name, ...serverWords(h.get(id))],
    address: (_h, ip) => ({ [`P${id}`]: ip }),
  };
}

export const IVR_OPTIONS: readonly IvrOption[] = [
  { id: '01', ...cycle(8, undefined, [['0', 'dhcpMode'], ['1', 'staticIpMode'], ['2', 'pppoeMode']]) },
  { id: '02', ...staticAddress('ipAddress', 9, (h) => h.network().address) },
  { id: '03', ...staticAddress('subnet', 13, (h) => h.network().subnet) },
  { id: '04', ...staticAddress('gateway', 17, (h) => h.network().gateway) },
  { id: '05', ...staticAddress('dnsServer', 21, (h) => h.network().dns) },
  {
    id: '07',
    ...cycle(57, 'preferredVocoder', [['0', 'pcmu'], ['8', 'pcma'], ['97', 'ilbc'], ['2', 'g726'], ['4', 'g723'], ['18', 'g729'], ['123', 'opus'], ['9', 'g722']]),
  },
  { id: '10', announce: (h) => ['macAddress', ...symbols(h.lanMac)] },
  { id: '12', ...cycle(190, 'wanWebAccess', [['2', 'auto'], ['1', 'enabled'], ['0', 'disabled']]) },
  { id: '13', ...server('firmwareServer', 192) },
  { id: '14', ...server('configServer', 237) },
  { id: '15', ...cycle(212, 'upgradeProtocol', [['0', 'tftp'], ['1', 'http'], ['2', 'https'], ['3', 'ftp'], ['4', 'ftps']]) },
  { id: '16', announce: (h) => ['firmwareVersion', ...symbols(h.firmwareVersion)] },
  { id: '17', ...cycle(238, 'firmwareUpgrade', [['0', 'alwaysCheck'], ['1', 'checkOnChange'], ['2', 'neverUpgrade']]) },
  { id: '47', announce: () => ['directIpCalling'], special: 'directIp' },
  { id: '86', announce: () => ['voiceMail'], special: 'voicemail' },
  { id: '99', announce: () => ['reset'], special: 'reset' },
];
