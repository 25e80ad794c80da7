/**
 * The command responder's PDU processing (RFC 3416 §4.2.1-4.2.5, with the v1 rules of
 * RFC 3584 §4.2 and RFC 1157 §4.1): Get, GetNext and GetBulk over a read-only MIB view; Set is
 * refused (noAccess, v1 noSuchName), since the parameter store is the unit's only writer. The
 * response fits `budget` octets of variable bindings, or says tooBig. Pure given the MIB.
 */
import type { Mib } from './mib';
import type { SnmpVersion } from './snmp-message';
import { ERROR_STATUS, V, encodeVarBind, type BulkPdu, type Pdu, type SnmpValue, type VarBind } from './snmp-pdu';

/** The requests a command responder answers (RFC 3411 §2.8 Read and Write classes). */
export function isRequest(p: { type: string }): p is Pdu | BulkPdu {
  return p.type === 'GetRequest' || p.type === 'GetNextRequest' || p.type === 'GetBulkRequest' || p.type === 'SetRequest';
}

/** v1 cannot carry Counter64 (RFC 3584 §4.2.2.1): such instances are not in a v1 view. */
function inView(version: SnmpVersion): (v: SnmpValue) => boolean {
  return version === 'v1' ? (v) => v.type !== 'Counter64' : () => true;
}

function exists(v: SnmpValue): boolean {
  return v.type !== 'noSuchObject' && v.type !== 'noSuchInstance' && v.type !== 'endOfMibView';
}

/**
 * Answers a request. `budget` is how many octets the encoded variable bindings may take (the
 * message size limit minus the message around them).
 */
export function respond(req: Pdu | BulkPdu, version: SnmpVersion, mib: Mib, budget: number): Pdu {
  const base = { type: 'Response' as const, requestId: req.requestId };
  const ok = (varbinds: readonly VarBind[]): Pdu => ({ ...base, errorStatus: 0, errorIndex: 0, varbinds });
  const fail = (status: number, index: number): Pdu => ({ ...base, errorStatus: status, errorIndex: index, varbinds: req.varbinds });
  // RFC 3416 §4.2.1 ¶6 / RFC 1157 §4.1.2: too big → tooBig, no bindings in v2, the request's in v1
  const tooBig = (): Pdu => (version === 'v1' ? fail(ERROR_STATUS.tooBig, 0) : { ...base, errorStatus: ERROR_STATUS.tooBig, errorIndex: 0, varbinds: [] });
  const view = inView(version);
  const fits = (vbs: readonly VarBind[]): boolean => vbs.reduce((n, vb) => n + encodeVarBind(vb).length, 0) <= budget;

  switch (req.type) {
    case 'GetRequest': {
      const out: VarBind[] = [];
      for (const [i, vb] of req.varbinds.entries()) {
        const value = mib.get(vb.oid);
        if (version === 'v1' && (!exists(value) || !view(value))) return fail(ERROR_STATUS.noSuchName, i + 1);
        out.push({ oid: vb.oid, value });
      }
      return fits(out) ? ok(out) : tooBig();
    }
    case 'GetNextRequest': {
      const out: VarBind[] = [];
      for (const [i, vb] of req.varbinds.entries()) {
        const next = mib.next(vb.oid, view);
        if (!next && version === 'v1') return fail(ERROR_STATUS.noSuchName, i + 1);
        out.push(next ?? { oid: vb.oid, value: V.endOfMibView });
      }
      return fits(out) ? ok(out) : tooBig();
    }
    case 'GetBulkRequest':
      return getBulk(req, mib, budget) ?? tooBig();
    case 'SetRequest':
      // RFC 3416 §4.2.5: no variable is in a write view; RFC 3584 §4.4: noAccess is noSuchName in v1
      if (req.varbinds.length === 0) return ok([]);
      return fail(version === 'v1' ? ERROR_STATUS.noSuchName : ERROR_STATUS.noAccess, 1);
    default:
      throw new TypeError(`not a request: ${req.type}`);
  }
}

/**
 * RFC 3416 §4.2.3: N non-repeaters then up to M rounds over the R repeaters; fewer bindings when
 * the message would grow too big, or once every repeater reached the end of the view. Undefined
 * when not even the non-repeaters fit.
 */
function getBulk(req: BulkPdu, mib: Mib, budget: number): Pdu | undefined {
  const n = Math.max(0, Math.min(req.nonRepeaters, req.varbinds.length));
  const m = Math.max(0, req.maxRepetitions);
  const r = req.varbinds.length - n;
  const out: VarBind[] = [];
  let used = 0;
  const add = (vb: VarBind): boolean => {
    const size = encodeVarBind(vb).length;
    if (used + size > budget) return false;
    used += size;
    out.push(vb);
    return true;
  };
  for (let i = 0; i < n; i++) {
    const o = req.varbinds[i]!.oid;
    if (!add(mib.next(o) ?? { oid: o, value: V.endOfMibView })) return undefined;
  }
  const cursor = req.varbinds.slice(n).map((vb) => vb.oid);
  rounds: for (let round = 0; round < m && r > 0; round++) {
    let allEnded = true;
    for (let j = 0; j < r; j++) {
      const o = cursor[j]!;
      const next = mib.next(o);
      const vb = next ?? { oid: o, value: V.endOfMibView };
      if (next) allEnded = false;
      if (!add(vb)) break rounds;
      cursor[j] = vb.oid;
    }
    if (allEnded) break;
  }
  return { type: 'Response', requestId: req.requestId, errorStatus: 0, errorIndex: 0, varbinds: out };
}
