// The network lab: visitors behind home NAT routers, firewalls and bad links, built from network
// namespaces, veth pairs, a bridge and nftables. Every lab address lives inside the lab's
// namespaces, none of which has a route out of it; only processes started inside a namespace
// (`exec`, `spawnIn`) ever talk to a lab address.
import { execFileSync, spawn } from 'node:child_process';

/**
 * The "internet" segment (TEST-NET-3): rtc-room-server, coturn and the host pages, each on an
 * address of its own, and each router's WAN side.
 */
export const INTERNET = {
  prefix: '203.0.113',
  server: '203.0.113.10',
  turn: '203.0.113.11',
  pages: '203.0.113.12',
  nowhere: '203.0.113.254',
};

/**
 * @typedef {object} Uplink a bad link between a visitor's router and the internet
 * @property {number} rateKbit what the router sends on, in kbit/s
 * @property {number} queueMs how long a packet may wait in the router's queue
 * @property {number} lossPercent packets the router drops at random, each way
 */

/**
 * @typedef {object} VisitorNetwork
 * @property {string} name
 * @property {'port-preserving' | 'symmetric'} nat how the router maps its visitor's ports
 * @property {'open' | 'no-udp' | 'tcp-443'} [firewall] what the router lets out: everything, no
 *   UDP at all, or only TCP to port 443 (a corporate network)
 * @property {Uplink} [uplink]
 * @property {boolean} [canMove] a second router and LAN, for moving mid-call (`moveVisitor`)
 */

/** Fails with a one-line reason when this process cannot build the lab. */
export function assertLabPossible() {
  if (process.getuid?.() !== 0) {
    throw new Error('the network lab needs root (network namespaces and nftables): run as root');
  }
  for (const [program, hint] of [
    ['ip', 'apt-get install -y iproute2'],
    ['nft', 'apt-get install -y nftables'],
    ['tc', 'apt-get install -y iproute2'],
  ]) {
    try {
      execFileSync(program, ['-V'], { stdio: 'ignore' });
    } catch {
      throw new Error(`the network lab needs \`${program}\`: ${hint}`);
    }
  }
}

/**
 * @param {string} program
 * @param {string[]} args
 * @param {string} [input]
 * @returns {string}
 */
function run(program, args, input) {
  try {
    return execFileSync(program, args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = /** @type {{ stderr?: string }} */ (error).stderr?.trim();
    throw new Error(`${program} ${args.join(' ')}: ${stderr || error}`, { cause: error });
  }
}

/**
 * Builds the lab: one namespace for the internet segment (the server's host), and per visitor a
 * router namespace and a LAN namespace (192.168.1.0/24 for every LAN, as homes are).
 * @param {VisitorNetwork[]} visitors
 * @param {{ prefix?: string }} [options] what the lab's namespace names start with (three
 *   letters at most), so that labs of different suites never share a name
 */
export function createLab(visitors, { prefix = 'rl' } = {}) {
  assertLabPossible();
  // Short and unique per process: interface names have 15 characters at most.
  const tag = `${prefix}${process.pid % 10_000}`;
  /** @type {string[]} */
  const namespaces = [];
  const lab = {
    tag,
    internet: `${tag}-net`,
    /** @type {Map<string, ReturnType<typeof visitorSides>>} */
    visitors: new Map(),
    /**
     * Runs `program` inside namespace `ns` and returns its output.
     * @param {string} ns
     * @param {string} program
     * @param {string[]} [args]
     * @param {string} [input]
     */
    exec: (ns, program, args = [], input) =>
      run('ip', ['netns', 'exec', ns, program, ...args], input),
    /**
     * Starts a long-running `program` inside namespace `ns`.
     * @param {string} ns
     * @param {string} program
     * @param {string[]} [args]
     * @param {import('node:child_process').SpawnOptions} [options]
     */
    spawnIn: (ns, program, args = [], options = {}) =>
      spawn('ip', ['netns', 'exec', ns, program, ...args], options),
    /** Cuts `visitor`'s network off (every packet through its router dropped) or back on. */
    setOffline: (/** @type {string} */ visitor, /** @type {boolean} */ isOffline) => {
      const sides = lab.visitors.get(visitor);
      if (!sides) throw new Error(`no visitor ${visitor} in the lab`);
      const { router } = sides.routers[sides.current];
      if (isOffline) lab.exec(router, 'nft', ['add', 'rule', 'ip', 'lab', 'live', 'drop']);
      else lab.exec(router, 'nft', ['flush', 'chain', 'ip', 'lab', 'live']);
    },
    /**
     * Moves `visitor` to its second network (another router, LAN and public address), as a
     * phone leaving Wi-Fi for its mobile network does: the new link comes up and takes the
     * default route, and the old one goes down at once.
     */
    moveVisitor: (/** @type {string} */ visitor) => {
      const sides = lab.visitors.get(visitor);
      if (sides?.routers.length !== 2) throw new Error(`visitor ${visitor} cannot move`);
      const [from, to] = sides.current === 0 ? sides.routers : [...sides.routers].reverse();
      lab.exec(sides.host, 'ip', ['link', 'set', to.lan, 'up']);
      lab.exec(sides.host, 'ip', ['route', 'replace', 'default', 'via', to.gateway]);
      lab.exec(sides.host, 'ip', ['link', 'set', from.lan, 'down']);
      sides.current = 1 - sides.current;
    },
    destroy: () => {
      for (const ns of namespaces.reverse()) {
        try {
          run('ip', ['netns', 'pids', ns])
            .split('\n')
            .filter(Boolean)
            .forEach((pid) => process.kill(Number(pid), 'SIGKILL'));
        } catch {
          // Gone already.
        }
        try {
          run('ip', ['netns', 'del', ns]);
        } catch {
          // Gone already.
        }
      }
    },
  };
  const addNamespace = (/** @type {string} */ ns) => {
    run('ip', ['netns', 'add', ns]);
    namespaces.push(ns);
    lab.exec(ns, 'ip', ['link', 'set', 'lo', 'up']);
  };
  try {
    addNamespace(lab.internet);
    lab.exec(lab.internet, 'ip', ['link', 'add', 'br0', 'type', 'bridge']);
    for (const address of [INTERNET.server, INTERNET.turn, INTERNET.pages]) {
      lab.exec(lab.internet, 'ip', ['addr', 'add', `${address}/24`, 'dev', 'br0']);
    }
    lab.exec(lab.internet, 'ip', ['link', 'set', 'br0', 'up']);
    addNowhereRoute(lab, lab.internet);
    visitors.forEach((visitor, index) => {
      const sides = visitorSides(lab, tag, index, visitor, addNamespace);
      lab.visitors.set(visitor.name, sides);
    });
  } catch (error) {
    lab.destroy();
    throw error;
  }
  return lab;
}

/**
 * What the lab's builders below use of it.
 * @typedef {object} LabBuilder
 * @property {string} internet
 * @property {{ size: number }} visitors
 * @property {(ns: string, program: string, args?: string[], input?: string) => string} exec
 */

/**
 * One visitor's router (or two, for a visitor that moves) and LAN.
 * @param {LabBuilder} lab
 * @param {string} tag
 * @param {number} index
 * @param {VisitorNetwork} visitor
 * @param {(ns: string) => void} addNamespace
 */
function visitorSides(lab, tag, index, visitor, addNamespace) {
  const host = `${tag}-v${index}`;
  addNamespace(host);
  const routers = [addRouter(lab, tag, `${index}`, host, visitor, 1, addNamespace)];
  if (visitor.canMove) {
    routers.push(addRouter(lab, tag, `${index}m`, host, visitor, 2, addNamespace));
    // The second network waits, down, until the visitor moves to it.
    lab.exec(host, 'ip', ['link', 'set', routers[1].lan, 'down']);
  }
  lab.exec(host, 'ip', ['route', 'add', 'default', 'via', routers[0].gateway]);
  return { host, routers, current: 0 };
}

/**
 * @param {LabBuilder} lab
 * @param {string} tag
 * @param {string} id
 * @param {string} host
 * @param {VisitorNetwork} visitor
 * @param {number} lanNumber
 * @param {(ns: string) => void} addNamespace
 */
function addRouter(lab, tag, id, host, visitor, lanNumber, addNamespace) {
  const router = `${tag}-r${id}`;
  addNamespace(router);
  const wan = `${tag}w${id}`;
  const wanPeer = `${tag}W${id}`;
  const lan = `${tag}l${id}`;
  const lanPeer = `${tag}h${id}`;
  const routerNumber = 20 + lab.visitors.size * 2 + lanNumber;
  const wanAddress = `${INTERNET.prefix}.${routerNumber}`;
  run('ip', [
    'link',
    'add',
    wan,
    'netns',
    router,
    'type',
    'veth',
    'peer',
    wanPeer,
    'netns',
    lab.internet,
  ]);
  lab.exec(lab.internet, 'ip', ['link', 'set', wanPeer, 'master', 'br0', 'up']);
  lab.exec(router, 'ip', ['addr', 'add', `${wanAddress}/24`, 'dev', wan]);
  lab.exec(router, 'ip', ['link', 'set', wan, 'up']);
  const gateway = `192.168.${lanNumber}.1`;
  run('ip', ['link', 'add', lan, 'netns', router, 'type', 'veth', 'peer', lanPeer, 'netns', host]);
  lab.exec(router, 'ip', ['addr', 'add', `${gateway}/24`, 'dev', lan]);
  lab.exec(router, 'ip', ['link', 'set', lan, 'up']);
  lab.exec(host, 'ip', ['addr', 'add', `192.168.${lanNumber}.10/24`, 'dev', lanPeer]);
  lab.exec(host, 'ip', ['link', 'set', lanPeer, 'up']);
  addNowhereRoute(lab, router);
  lab.exec(router, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  lab.exec(router, 'nft', ['-f', '-'], routerRules(wan, lan, visitor));
  if (visitor.uplink) {
    const { rateKbit, queueMs } = visitor.uplink;
    lab.exec(router, 'tc', [
      'qdisc',
      'add',
      'dev',
      wan,
      'root',
      'tbf',
      'rate',
      `${rateKbit}kbit`,
      'burst',
      '16kb',
      'latency',
      `${queueMs}ms`,
    ]);
  }
  return { router, wan, lan: lanPeer, gateway, wanAddress };
}

/**
 * A default route to an address on the internet segment that nobody holds: packets to addresses
 * outside the lab (a peer's private host candidate, say) vanish as they do on the internet,
 * instead of failing at once with "network unreachable", which makes coturn drop the whole
 * allocation. Nothing leaves the lab by it.
 * @param {LabBuilder} lab
 * @param {string} ns
 */
function addNowhereRoute(lab, ns) {
  lab.exec(ns, 'ip', ['route', 'add', 'default', 'via', INTERNET.nowhere]);
}

/**
 * A home router's rules: masquerade, no unsolicited input to itself, and the firewall.
 * @param {string} wan
 * @param {string} lan
 * @param {VisitorNetwork} visitor
 */
function routerRules(wan, lan, { nat, firewall = 'open', uplink }) {
  const outbound = {
    open: [],
    'no-udp': [`iifname "${lan}" meta l4proto udp drop`],
    'tcp-443': [`iifname "${lan}" tcp dport 443 accept`, `iifname "${lan}" drop`],
  }[firewall];
  const loss = uplink?.lossPercent ? [`numgen random mod 100 < ${uplink.lossPercent} drop`] : [];
  return `
table ip lab {
  chain input {
    type filter hook input priority 0; policy drop;
    iif "lo" accept
    ct state established,related accept
    iifname "${lan}" accept
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    ${loss.join('\n    ')}
    oifname "${wan}" ct state established,related accept
    ${outbound.join('\n    ')}
    iifname "${wan}" ct state new drop
  }
  chain postrouting {
    type nat hook postrouting priority 100;
    oifname "${wan}" masquerade${nat === 'symmetric' ? ' random' : ''}
  }
  chain live {
    type filter hook forward priority -10; policy accept;
  }
}
`;
}
