/**
 * AccessList bookkeeping (TR-069 A.3.2.4) on its own: the default, the locked P-values an empty
 * list produces, "Subscriber" unlocking again, and attributes saved by the first format (which
 * stored [] for "never set") read as never set, so nothing is locked by an upgrade.
 */
import assert from 'node:assert/strict';
import { NotificationAttributes } from '../../cpe/cwmp/attributes';
import type { DataModel } from '../../cpe/datamodel';
import type { ParamNode } from '../../cpe/datamodel/types';

const PROXY: ParamNode = {
  kind: 'param', path: 'Device.X.Proxy', type: 'string', writable: true, secret: false,
  source: { kind: 'pvalue', binding: { ids: [48], read: (v) => v[0] ?? '' } },
};
const UPTIME: ParamNode = { kind: 'param', path: 'Device.X.UpTime', type: 'unsignedInt', writable: false, secret: false, source: { kind: 'live', get: () => '1' } };

const dm = {
  node: (p: string) => [PROXY, UPTIME].find((n) => n.path === p),
  paramsUnder: (p: string) => [PROXY, UPTIME].filter((n) => n.path === p || n.path.startsWith(p)),
  read: () => '',
  pathsOf: () => [],
} as unknown as DataModel;

function state(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { get: (k: string) => m.get(k), set: (k: string, v: string) => void m.set(k, v), delete: (k: string) => void m.delete(k), m };
}

const entry = (name: string, accessList: string[]) => ({ name, notificationChange: false, notification: 0, accessListChange: true, accessList });

describe('cwmp AccessList', () => {
  it('defaults to Subscriber for writable P-value parameters, [] for the rest', () => {
    const a = new NotificationAttributes(state(), dm);
    assert.deepEqual(a.get(PROXY).accessList, ['Subscriber']);
    assert.deepEqual(a.get(UPTIME).accessList, []);
    assert.equal(a.lockedPValues().size, 0);
  });

  it('[] locks the bound P-values, Subscriber unlocks them, and both persist', () => {
    const st = state();
    const a = new NotificationAttributes(st, dm);
    a.set([entry('Device.X.Proxy', [])]);
    assert.deepEqual([...a.lockedPValues()], [[48, 'Device.X.Proxy']]);
    assert.deepEqual(new NotificationAttributes(st, dm).get(PROXY).accessList, []);
    assert.equal(new NotificationAttributes(st, dm).lockedPValues().get(48), 'Device.X.Proxy');
    a.set([entry('Device.X.Proxy', ['Subscriber'])]);
    assert.equal(a.lockedPValues().size, 0);
    assert.equal(new NotificationAttributes(st, dm).lockedPValues().size, 0);
  });

  it('first-format attributes ([] meant "never set") lock nothing after an upgrade', () => {
    const a = new NotificationAttributes(state({ attributes: JSON.stringify({ 'Device.X.Proxy': { n: 1, a: [] } }) }), dm);
    assert.equal(a.notification('Device.X.Proxy'), 1);
    assert.deepEqual(a.get(PROXY).accessList, ['Subscriber']);
    assert.equal(a.lockedPValues().size, 0);
  });

  it('only "Subscriber" may be named (9003)', () => {
    const a = new NotificationAttributes(state(), dm);
    assert.throws(() => a.set([entry('Device.X.Proxy', ['Operator'])]), (e: unknown) => (e as { fault?: number }).fault === 9003);
  });
});
