/** Grey placeholder lines with the height of what will come, so nothing jumps when data arrives. */
export function Skeleton({ lines = 3, height }: { lines?: number; height?: number | string }) {
  if (height !== undefined) return <div className="skeleton skeleton--block" style={{ height }} aria-hidden="true" />;
  return (
    <div className="skeleton" aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton__line" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}
