// What the packet strip's colours and letters mean.
export function PacketLegend() {
  return (
    <p className="legend">
      <span className="packet outcome-written" /> written <span className="packet outcome-dropped">✕</span>{' '}
      dropped by p <span className="packet outcome-duplicate">D</span> duplicate{' '}
      <span className="packet outcome-corrupt">C</span> checksum failure{' '}
      <span className="packet outcome-out-of-order">O</span> out of order
    </p>
  );
}
