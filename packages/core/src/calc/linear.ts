/** Least-squares line through points; used to project coverage (targets.ts). */

export interface Line {
  slope: number;
  intercept: number;
}

/**
 * Ordinary least squares y = intercept + slope·x. Null with fewer than two points or when every x is
 * the same (no slope is defined then). Sums are taken around the means, which keeps day offsets of a
 * few hundred and counts of a few hundred exact enough in floating point.
 */
export function leastSquares(points: readonly { x: number; y: number }[]): Line | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) * (p.x - mx);
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
