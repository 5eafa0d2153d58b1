// How every plgkit log collector pushes to Loki: its retries while Loki is away, and how long a stopping collector
// keeps pushing what it has already read.
//
// Both collectors record a file's read position once a line is read, not once Loki has it: Promtail's client and
// Alloy's `loki.write` hold read lines in memory until a push succeeds. A stopping collector pushes them for a while:
// - Alloy drains its queue for 15 s, then drops it (`queue_config.drain_timeout`, which only Alloy's experimental
//   stability level lets a config change);
// - Promtail retries until it is killed, at the end of the pod's grace period.
// Upstream's retry delays grow to 5 minutes, so a collector restarted soon after Loki came back may still be
// sleeping when its drain ends, and drop lines Loki would have taken. Delays here stop growing at 5 s.
//
// When the node stops (`minikube stop`, a reboot), every container gets SIGTERM at once and SIGKILL 10 s later. A
// Loki that stopped at once would leave the collectors nothing to push to: their read lines die with them, and their
// saved positions skip those lines after the start. So Loki takes pushes for a few seconds after its SIGTERM
// (`shutdown_delay`), and only then stops, still inside the node's grace.

/**
 * How long a stopping node gives each container between SIGTERM and SIGKILL: minikube stops containers with
 * `crictl stop --timeout=10` (kubernetes/minikube `pkg/minikube/cruntime/cri.go`), and its node container with
 * `docker stop`, whose default is 10 s.
 */
export const NODE_STOP_GRACE_SECONDS = 10;

/** Retry and stop settings, in seconds. Rendered by each collector in its own config's spelling. */
export interface LogDelivery {
  /** The first retry delay; each next delay doubles, up to `maxBackoffSeconds`. */
  readonly minBackoffSeconds: number;
  readonly maxBackoffSeconds: number;
  /** Pushes of one batch before it is dropped (upstream's `max_retries`). */
  readonly maxRetries: number;
  /** One push's timeout. */
  readonly timeoutSeconds: number;
  /** How long a stopping Alloy keeps pushing what it has read: its fixed drain. */
  readonly drainSeconds: number;
  /** The pod's grace period: how long a stopping Promtail keeps pushing, and a bound on Alloy's whole stop. */
  readonly terminationGracePeriodSeconds: number;
  /** How long a stopping Loki still takes pushes before it stops (its `shutdown_delay`). */
  readonly lokiShutdownDelaySeconds: number;
}

export const LOG_DELIVERY: LogDelivery = {
  minBackoffSeconds: 0.5,
  maxBackoffSeconds: 5,
  // A batch's last push then comes at least 10 minutes after its first (retryWindowSeconds: 603.5 s); upstream's
  // defaults give 8.5 minutes at most.
  maxRetries: 154,
  timeoutSeconds: 10,
  drainSeconds: 15,
  terminationGracePeriodSeconds: 60,
  // A stopping collector pushes at once, so a second would do; Loki's own stop then takes about 1 s more.
  lokiShutdownDelaySeconds: 5,
};

/**
 * The shortest time from a batch's first push to its last, the pushes' own time aside. Both collectors use dskit's
 * backoff (grafana/dskit `backoff/backoff.go`): each delay is drawn between a floor and twice it, and both double
 * until the ceiling reaches `maxBackoffSeconds`; the floor then stays where it is. After its `maxRetries`-th delay
 * the batch is dropped without another push, so `maxRetries - 1` delays separate the first push from the last.
 */
export function retryWindowSeconds(d: LogDelivery): number {
  let floor = d.minBackoffSeconds;
  let ceiling = Math.min(2 * floor, d.maxBackoffSeconds);
  let total = 0;
  for (let i = 0; i < d.maxRetries - 1; i++) {
    total += floor;
    if (ceiling < d.maxBackoffSeconds) {
      floor = Math.min(2 * floor, d.maxBackoffSeconds);
      ceiling = Math.min(2 * ceiling, d.maxBackoffSeconds);
    }
  }
  return total;
}

/** Seconds as a Go duration string, as both collectors parse them ("500ms", "30s"). */
export function goDuration(seconds: number): string {
  if (!(seconds > 0)) throw new Error(`not a positive duration: ${seconds}`);
  return Number.isInteger(seconds)
    ? `${seconds}s`
    : `${Math.round(seconds * 1000)}ms`;
}
