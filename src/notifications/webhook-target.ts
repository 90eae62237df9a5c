import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may go. A unit's webhook URL is typed by office staff, so it must not reach the
 * service's own neighbourhood: loopback, link-local (the cloud metadata service at
 * 169.254.169.254), private and other special-purpose ranges are refused — unless the operator
 * lists the host or network in `WEBHOOK_ALLOWED_HOSTS` (a unit's system on the district's
 * intranet is legitimate). Checked when the URL is configured and again on every delivery, on
 * the very address the connection uses, so a name re-pointed after configuration (DNS
 * rebinding) is caught.
 */
const SPECIAL_RANGES: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'], // NAT64 (embeds IPv4)
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

const special = new BlockList();
for (const [net, prefix, type] of SPECIAL_RANGES) special.addSubnet(net, prefix, type);

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const MAPPED_V4_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `[::1]` → `::1`; an IPv4-mapped IPv6 address → its IPv4 address. */
function normalizeAddress(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '');
  const hex = MAPPED_V4_HEX.exec(bare);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return MAPPED_V4.exec(bare)?.[1] ?? bare;
}

const familyOf = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 4 ? 'ipv4' : 'ipv6');

/** Problems with a `WEBHOOK_ALLOWED_HOSTS` value (comma-separated names, addresses or CIDRs). */
export function allowListProblems(raw: string): string[] {
  return splitAllowList(raw).flatMap((entry) => {
    const [net, prefix, extra] = entry.split('/');
    if (extra !== undefined) return [`"${entry}" is not a host name, address or CIDR`];
    if (prefix !== undefined) {
      const bits = isIP(net) === 4 ? 32 : isIP(net) === 6 ? 128 : 0;
      const n = Number(prefix);
      return bits && /^\d{1,3}$/.test(prefix) && n <= bits
        ? []
        : [`"${entry}" is not a valid CIDR`];
    }
    return isIP(normalizeAddress(entry)) || HOST_NAME.test(entry)
      ? []
      : [`"${entry}" is not a host name, address or CIDR`];
  });
}

export const splitAllowList = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

export class WebhookTargetPolicy {
  private readonly hosts = new Set<string>();
  private readonly networks = new BlockList();

  /** `entries`: validated allow-list entries (see `allowListProblems`). */
  constructor(entries: string[]) {
    for (const entry of entries) {
      const [net, prefix] = entry.split('/');
      const ip = normalizeAddress(net);
      if (prefix !== undefined) this.networks.addSubnet(ip, Number(prefix), familyOf(ip));
      else if (isIP(ip)) this.networks.addAddress(ip, familyOf(ip));
      else this.hosts.add(entry);
    }
  }

  /** Whether `host` (a URL's host name) is listed by name: every address it has is then trusted. */
  hostListed(host: string): boolean {
    return this.hosts.has(host.toLowerCase().replace(/\.$/, ''));
  }

  /** Whether a connection to `address` may be made: listed, or not in a special-purpose range. */
  addressAllowed(address: string): boolean {
    const ip = normalizeAddress(address);
    const type = familyOf(ip);
    if (!isIP(ip)) return false;
    return this.networks.check(ip, type) || !special.check(ip, type);
  }

  /**
   * Whether the URL's host may be used, judged without DNS: a listed name, an allowed address,
   * or a name other than `localhost` (whose addresses the delivery checks as it connects).
   */
  hostAllowed(host: string): boolean {
    const h = normalizeAddress(host.toLowerCase().replace(/\.$/, ''));
    if (this.hostListed(h)) return true;
    if (isIP(h)) return this.addressAllowed(h);
    return h !== 'localhost' && !h.endsWith('.localhost');
  }

  /**
   * A DNS lookup for `http.request` that refuses forbidden addresses: the check and the
   * connection use the same resolved address, so no second resolution can differ.
   */
  guardedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, '', 0);
        const listed = this.hostListed(hostname);
        const bad = addresses.find((a) => !listed && !this.addressAllowed(a.address));
        if (bad) return callback(new ForbiddenTargetError(bad.address), '', 0);
        // Node's connect asks for every address (happy eyeballs) or for one.
        if ((options as { all?: boolean }).all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }
}

/** The webhook's host resolved to, or is, an address the policy refuses. */
export class ForbiddenTargetError extends Error {
  readonly code = 'EWEBHOOKFORBIDDEN';
  constructor(address: string) {
    super(`webhook target address ${address} is not allowed`);
  }
}
