// Prints each phase with its time, like kind's "✓ Preparing nodes", so a slow run shows where the time went.
const started = Date.now();
const timings: Array<{ name: string; seconds: number }> = [];

export async function phase<T>(
  name: string,
  work: () => Promise<T> | T,
): Promise<T> {
  const t0 = Date.now();
  process.stdout.write(`• ${name} …\n`);
  try {
    const result = await work();
    const seconds = (Date.now() - t0) / 1000;
    timings.push({ name, seconds });
    process.stdout.write(`✓ ${name} (${seconds.toFixed(1)} s)\n`);
    return result;
  } catch (e) {
    process.stdout.write(
      `✗ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    throw e;
  }
}

export function phaseTimings(): ReadonlyArray<{
  name: string;
  seconds: number;
}> {
  return timings;
}

export function totalSeconds(): number {
  return (Date.now() - started) / 1000;
}
