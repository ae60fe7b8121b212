/** A paved road seen from above: two kerbs and a dashed centre line. */
const LogoMark = ({ size }: { size: number }) => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 32 32"
    role="img"
    aria-label="Paved"
  >
    <path
      d="M9 2 L3 30 M23 2 L29 30"
      stroke="#7df3e1"
      strokeWidth={3}
      strokeLinecap="round"
      fill="none"
    />
    <path
      d="M16 4 V9 M16 13 V19 M16 23 V29"
      stroke="#7df3e1"
      strokeWidth={2.5}
      strokeLinecap="round"
    />
  </svg>
);

/** The Paved mark, shown in the collapsed sidebar. */
export const LogoIcon = () => <LogoMark size={28} />;
