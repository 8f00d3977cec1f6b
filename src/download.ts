// Fetching a file from the web (an attachment on Discord's CDN, a link someone gave): streamed
// with a byte cap, a total deadline and a bounded number of redirects, so a server that stalls,
// lies about its size or redirects forever costs at most `maxBytes` of memory and `timeoutMs` of
// waiting. Every failure is a DownloadError whose message can be shown to the user as it is.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  /** Largest body accepted, in bytes; reading stops at the first byte beyond it. */
  maxBytes: number;
  /** Deadline for the whole download, redirects included, in milliseconds. */
  timeoutMs: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /**
   * Refuse hosts whose addresses are not public (loopback, private, link-local, multicast, cloud
   * metadata), checked on every connection, so neither a redirect nor a DNS answer that changes
   * between lookups can reach inside the network. Default false (attachments come from Discord).
   */
  publicOnly?: boolean;
  /**
   * Test-only: with `publicOnly`, loopback addresses (127.0.0.0/8, ::1) are allowed too, so
   * tests can serve links from 127.0.0.1. Set only through the `TEST_ONLY_ALLOW_LOOPBACK_LINKS`
   * setting, which the tests set. Default false.
   */
  allowLoopback?: boolean;
  /** What the file is called in messages ("the attachment week7.md"). Default: the URL's host. */
  label?: string;
}

export interface Downloaded {
  bytes: Uint8Array;
  /** The Content-Type header, without parameters, lower-case; '' when absent. */
  contentType: string;
  /** The Content-Type header's `charset`, when it has one. */
  charset?: string;
  /** Where the body came from after redirects. */
  url: string;
}

// Addresses a fetch on a user's behalf must never reach: the blocks of IANA's IPv4 and IPv6
// special-purpose registries (RFC 6890 and since) that are not globally reachable, and any
// address that carries an IPv4 address inside it, since that one may be private. One list per
// family: a BlockList checks an IPv4 address against IPv6 rules in its mapped form
// (::ffff:8.8.8.8), so ::ffff:0:0/96 in a shared list would refuse every IPv4 address.
const NOT_PUBLIC_V4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC_V4.addSubnet(net, prefix, 'ipv4');
// IANA hands out global unicast only from 2000::/3 (RFC 4291 §2.5.4 and the IPv6 address space
// registry), so whatever lies outside it is refused whole: the IPv4-compatible (::7f00:1),
// IPv4-mapped (::ffff:127.0.0.1) and IPv4-translated (::ffff:0:7f00:1) forms, NAT64
// (64:ff9b::/96, 64:ff9b:1::/48), discard and dummy prefixes (100::/64, 100:0:0:1::/64),
// segment-routing SIDs (5f00::/16), unique-local, link-local, site-local and multicast, and
// every block IANA adds outside it later. Inside it, these are not global:
const NOT_PUBLIC_V6 = new BlockList();
for (const [net, prefix] of [
  // IETF protocol assignments: Teredo (2001::/32) tunnels to an IPv4 address, the rest is
  // benchmarking, ORCHID and anycast services no article is published on.
  ['2001::', 23],
  ['2001:db8::', 32],
  // 6to4 embeds an IPv4 address (2002:7f00:1:: is 127.0.0.1) that a relay would reach; checking
  // the embedded address would trust relays we do not know, and 6to4 is deprecated (RFC 7526).
  ['2002::', 16],
  ['3fff::', 20],
] as const) NOT_PUBLIC_V6.addSubnet(net, prefix, 'ipv6');
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !NOT_PUBLIC_V4.check(address, 'ipv4');
  // A zone (fe80::1%eth0) only means something for an address that is not global.
  if (address.includes('%')) return false;
  return GLOBAL_UNICAST.check(address, 'ipv6') && !NOT_PUBLIC_V6.check(address, 'ipv6');
}

// Two lists: a BlockList's IPv4 rules match IPv4-mapped IPv6 addresses too, and the test-only
// allowance is for 127.0.0.1 and ::1 as written, not for ::ffff:127.0.0.1.
const LOOPBACK_V4 = new BlockList();
LOOPBACK_V4.addSubnet('127.0.0.0', 8, 'ipv4');
const LOOPBACK_V6 = new BlockList();
LOOPBACK_V6.addAddress('::1', 'ipv6');

/** Whether a fetch may connect to `address`: a public one, or loopback when the test-only setting allows it. */
function reachable(address: string, allowLoopback: boolean): boolean {
  const family = isIP(address);
  if (isPublicAddress(address)) return true;
  if (!allowLoopback || address.includes('%')) return false;
  return family === 4 ? LOOPBACK_V4.check(address, 'ipv4') : family === 6 && LOOPBACK_V6.check(address, 'ipv6');
}

/** A DNS lookup that fails for hosts resolving to any address `reachable` refuses. */
const publicLookup = (allowLoopback: boolean): LookupFunction => (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => !reachable(a.address, allowLoopback));
    if (bad || addresses.length === 0) {
      return callback(Object.assign(new Error(`${hostname} is not a public address`), { code: 'ENOTPUBLIC' }), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

function megabytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(bytes % 1_000_000 ? 1 : 0)} MB` : `${Math.round(bytes / 1000)} KB`;
}

/** Why a connection failed, in words a user can act on. */
function networkReason(err: NodeJS.ErrnoException, host: string): string {
  switch (err.code) {
    case 'ENOTPUBLIC':
      return `${host} is not a public web address`;
    case 'ECONNREFUSED':
      return `${host} refused the connection`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${host} could not be found`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${host} closed the connection`;
    default:
      return `${host} could not be reached (${err.code ?? err.message})`;
  }
}

/** Downloads `url` within `options`' limits; throws a DownloadError saying why it could not. */
export async function download(url: string, options: DownloadOptions): Promise<Downloaded> {
  const { maxBytes, timeoutMs, maxRedirects = 5, publicOnly = false, allowLoopback = false } = options;
  const deadline = AbortSignal.timeout(timeoutMs);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new DownloadError(`Could not download “${url.slice(0, 100)}”: it is not a web address.`);
  }
  const label = options.label ?? current.host;
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new DownloadError(`Could not download ${label}: only http:// and https:// addresses can be fetched, not ${current.protocol}//.`);
    }
    const literal = current.hostname.replace(/^\[|\]$/g, '');
    if (publicOnly && isIP(literal) && !reachable(literal, allowLoopback)) {
      throw new DownloadError(`Could not download ${label}: ${current.hostname} is not a public web address.`);
    }
    const response = await get(current, deadline, publicOnly && publicLookup(allowLoopback), label, timeoutMs);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.destroy();
      if (hop >= maxRedirects) throw new DownloadError(`Could not download ${label}: it redirected more than ${maxRedirects} times.`);
      try {
        current = new URL(response.headers.location, current);
      } catch {
        // The header is the remote server's words, so it is not repeated to the member.
        throw new DownloadError(`Could not download ${label}: it redirected to something that is not a web address.`);
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new DownloadError(`Could not download ${label}: the server answered HTTP ${status}.`);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw new DownloadError(`Could not download ${label}: it is ${megabytes(declared)}, and the limit is ${megabytes(maxBytes)}.`);
    }
    const bytes = await readCapped(response, maxBytes, deadline, label, timeoutMs);
    const header = String(response.headers['content-type'] ?? '');
    const charset = /;\s*charset\s*=\s*"?([\w.:-]+)/i.exec(header)?.[1];
    return { bytes, contentType: header.split(';')[0]!.trim().toLowerCase(), url: current.href, ...(charset && { charset }) };
  }
}

function timeoutError(label: string, timeoutMs: number): DownloadError {
  return new DownloadError(`Could not download ${label}: it took longer than ${Math.round(timeoutMs / 1000)} s.`);
}

/** Opens the request and resolves with the response head; rejects with a DownloadError. */
function get(url: URL, deadline: AbortSignal, lookup: LookupFunction | false, label: string, timeoutMs: number): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', signal: deadline, headers: { 'user-agent': 'Footnote (citation bot)', accept: '*/*' }, ...(lookup && { lookup }) }, resolve);
    req.on('error', (err: NodeJS.ErrnoException) => {
      reject(deadline.aborted ? timeoutError(label, timeoutMs) : new DownloadError(`Could not download ${label}: ${networkReason(err, url.host)}.`));
    });
    req.end();
  });
}

/** The body, stopping at the first byte over `maxBytes`, whatever the headers said. */
function readCapped(response: IncomingMessage, maxBytes: number, deadline: AbortSignal, label: string, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: DownloadError) => {
      response.destroy();
      reject(err);
    };
    response.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) fail(new DownloadError(`Could not download ${label}: it is larger than the limit of ${megabytes(maxBytes)}.`));
      else chunks.push(chunk);
    });
    response.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, size))));
    // A body cut off (the deadline passed, the server hung up) ends in 'close' without 'end'.
    const brokeOff = () => fail(deadline.aborted ? timeoutError(label, timeoutMs) : new DownloadError(`Could not download ${label}: the connection broke off.`));
    response.on('error', brokeOff);
    response.on('close', () => {
      if (!response.complete) brokeOff();
    });
  });
}
