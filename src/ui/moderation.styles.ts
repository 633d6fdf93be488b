import { css } from 'lit';

/** What the room's moderation adds to the tiles: the host's badge and a reaction's rise. */
export const moderationStyles = css`
  .host-badge {
    padding: 0 4px;
    border-radius: 4px;
    background: var(--_accent);
    font-size: 0.75rem;
  }
  /* A reaction rises over its sender's tile and fades (stays still where motion is reduced). */
  .reaction {
    position: absolute;
    left: 50%;
    top: 40%;
    font-size: 3rem;
    transform: translate(-50%, -50%);
    pointer-events: none;
    animation: rise 4s ease-out forwards;
  }
  @keyframes rise {
    to {
      opacity: 0;
      transform: translate(-50%, -120%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .reaction {
      animation: none;
    }
  }
`;
