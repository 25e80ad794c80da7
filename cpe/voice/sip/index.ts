/**
 * The unit's own SIP stack, layered as RFC 3261 is. Each layer calls down through an interface and
 * up through a small callback interface (model: SIP.js src/core). Nothing here opens a socket or a
 * timer by itself: transports, Clock and Random are injected.
 *
 * API overview (for the calls code in cpe/voice/calls/, which builds INVITE usages on top):
 *
 * syntax/  (pure codec, throws DecodeError only)
 *   decodeMessage(bytes: Buffer | string, opts?) → SipMessage (SipRequest | SipResponse)
 *   encodeMessage(msg) → Buffer            (Content-Length always recomputed from body)
 *   SipRequest  { type:'request', method, uri, via[], from, to, callId, cseq{seq,method},
 *                 maxForwards?, contact[], route[], recordRoute[], headers: HeaderList, body }
 *   SipResponse { type:'response', status, reason, ...same common fields }
 *   HeaderList: every other header, canonical long names, one entry per value:
 *     headers.get(name) / getAll(name) / set(name, value) / add(name, value) / remove(name)
 *   decodeUri / encodeUri (sip, sips, tel, other absolute URIs), decodeNameAddr / encodeNameAddr,
 *   decodeVia / encodeVia, decodeChallenge / encodeCredentials (auth headers),
 *   Params (ordered, case-insensitive names): params.get('tag'), params.set('lr', null).
 *
 * auth/digest-client.ts
 *   DigestClient: answer(challenge, {method, uri, body, credentials}) → Credentials header value.
 *   MD5, MD5-sess, SHA-256(-sess), qop auth / auth-int, nonce count per nonce (RFC 2617 / 7616).
 *
 * transport/
 *   interface Transport (down): send(message, target: TransportTarget) ; onMessage(cb) up.
 *   SipTransports: the real UDP + TCP + TLS sockets of one local port (rport, connection reuse,
 *     CRLF keep-alive RFC 5626 §4.4.1, switch to TCP over 1300 bytes RFC 3261 §18.1.1).
 *   InMemoryNetwork / InMemoryTransport: the same interface for tests (drop / delay knobs).
 *   ServerLocator.resolve(uri, mode) → TransportTarget[]  (RFC 3263: NAPTR, SRV, A; injectable DnsResolver).
 *
 * transaction/
 *   TransactionLayer(transport, {clock, random, timers: SipTimers, log}, user: TransactionUser)
 *     .sendRequest(request, target, user: ClientTransactionUser) → ClientTransaction
 *        (INVITE → InviteClientTransaction, else NonInviteClientTransaction; adds the branch)
 *     incoming requests that match no transaction → user.onRequest(request, serverTx, incoming)
 *     (serverTx is undefined for an ACK to a 2xx; RFC 6026 "Accepted" state absorbs
 *      retransmitted INVITEs and passes 2xx ACKs up).
 *     user.screen?(request, incoming) → SipResponse | 'drop' | undefined: a request refused
 *     before any transaction, answered once statelessly (§8.2.7; accounts/inbound-screen.ts).
 *   ServerTransaction.respond(response)  ; ClientTransactionUser { onResponse, onTimeout, onTransportError }
 *   sipTimers(t1Ms, t2Ms) → Timer A..K values (T1/T2 from P209/P250 in units of 10 ms).
 *
 * dialog/
 *   Dialog.fromUacResponse(request, response) / Dialog.fromUasRequest(request, localTag, contact)
 *   dialog.createRequest(method, extraHeaders?, body?) → SipRequest (§12.2.1.1, route set, CSeq++)
 *   dialog.receiveRequest(request) → boolean (§12.2.2 CSeq order), dialog.target() → next hop URI.
 *
 * ua/
 *   UserAgentCore(config, transactionLayer): the per-account SIP endpoint.
 *     .request(request, {target?, credentials?}, handlers: RequestHandlers) → OutgoingRequest
 *        (handles 401/407 by re-sending once with digest credentials)
 *     .createRequest(method, requestUri, opts) → SipRequest with Via/From/To/Call-ID/CSeq/Contact
 *     .onInvite = (request, serverTx, incoming) => ...   default: 100 Trying then 480 (replace me)
 *     .onNotify = ..., OPTIONS answered 200, unknown methods 501, known-but-unsupported 405.
 *     .makeResponse(request, status, reason?, extraHeaders?) → SipResponse (§8.2.6)
 *   RegisterClient: the REGISTER usage (refresh, un-REGISTER, expiry from the 200's Contact).
 *
 * Accounts (cpe/voice/accounts/) wire one UserAgentCore per account (its own local port P40/P740),
 * and publish their state on the StatusBoard as 'sip.accounts'. The calls code finds account 1's
 * core with `(ctx.services.get('sip') as SipService).account(1).core`.
 */
export * from './syntax';
export { DigestClient, digestResponse, type Credentials } from './auth/digest-client';
export { DigestServer } from './auth/digest-server';
export * from './transport/transport';
export { InMemoryNetwork, InMemoryTransport } from './transport/in-memory-network';
export { SipTransports, type SipTransportsOptions } from './transport/sip-transports';
export { locate, type DnsResolver, type DnsMode } from './transport/locator';
export { sipTimers, timersFromPValues, type SipTimers } from './transaction/timers';
export { TransactionLayer, type TransactionUser, type ClientTransaction } from './transaction/transaction-layer';
export { TransactionTimeoutError, type ClientTransactionUser } from './transaction/transaction';
export type { ServerTransaction } from './transaction/server-transactions';
export { InviteServerTransaction } from './transaction/server-transactions';
export { makeResponse, REASONS } from './transaction/make-response';
export { Dialog, dialogKey, dialogKeyOfRequest } from './dialog/dialog';
export { UserAgentCore, type RequestHandlers, type RequestHandler, type UserAgentCoreConfig } from './ua/user-agent-core';
export { RegisterClient, type RegisterOutcome } from './ua/register-client';
