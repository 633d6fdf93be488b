import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../i18n/strings.js';
import type { Participant, ParticipantConnection } from '../room/participant.js';
import { renderIconButton } from './icon-button.js';
import { fullscreenIcon, infoIcon, micOffIcon, pinIcon, signalIcon } from './icons.js';
import { mediaStream } from './media-stream.js';
import { placement } from './placement.js';
import type { PlacedTile, Tile } from './stage.js';

/** The names whose flag is set, as a `part` or `class` value. */
function tokens(flags: Record<string, boolean>): string {
  return Object.keys(flags)
    .filter((name) => flags[name])
    .join(' ');
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((word) => [...word][0].toUpperCase())
    .join('');
}

function describeConnection(connection: ParticipantConnection, strings: Strings): string {
  if (connection.state === 'unreachable') return strings.unreachable;
  if (connection.state === 'connecting') return strings.connecting;
  if (connection.state === 'reconnecting') return strings.peerReconnecting;
  const parts = [
    connection.quality ? strings.quality[connection.quality] : '',
    connection.candidateType ? strings.candidateTypes[connection.candidateType] : '',
  ];
  if (connection.roundTripMs !== null) parts.push(strings.roundTrip(connection.roundTripMs));
  // Through the media server there is no direct link for a safety code to prove.
  if (connection.via) parts.push(strings.safetyCodeViaServer);
  return parts.filter(Boolean).join(' · ');
}

// A popover (no script) with how this participant is reached, so a site owner can see TURN at work.
function renderConnectionInfo(
  participant: Participant,
  strings: Strings,
): TemplateResult | typeof nothing {
  const connection = participant.connection;
  if (!connection) return nothing;
  const id = `connection-${participant.id}`;
  return html`<button
      part="button info-button"
      class="info-button"
      popovertarget=${id}
      aria-label=${strings.connectionInfo}
      title=${strings.connectionInfo}
    >
      ${infoIcon}
    </button>
    <div part="connection-info" class="connection-info" id=${id} popover>
      <strong>${strings.connectionInfo}</strong>
      <span data-candidate-type=${connection.candidateType ?? ''}
        >${describeConnection(connection, strings)}</span
      >
      ${
        participant.safetyCode
          ? html`<span part="safety-code" class="safety-code" title=${strings.safetyCodeHint}
              >${strings.safetyCode} <b>${participant.safetyCode}</b></span
            >`
          : nothing
      }
    </div>`;
}

// Three bars, as phones show signal: all lit when good, two when fair, one when poor.
function renderQuality(
  participant: Participant,
  strings: Strings,
): TemplateResult | typeof nothing {
  const quality = participant.connection?.quality;
  if (!quality || participant.connection?.state !== 'connected') return nothing;
  return html`<span
    part="quality"
    class="quality"
    data-quality=${quality}
    role="img"
    aria-label=${strings.quality[quality]}
    title=${strings.quality[quality]}
    >${signalIcon}</span
  >`;
}

export interface TileActions {
  onTogglePin: (id: string) => void;
  onFullscreen: (id: string) => void;
  /** The reaction showing over a participant's tile now, if any. */
  reactionOf: (id: string) => string | undefined;
  /** A host's menu for a remote participant (null unless this visitor is a host). */
  hostMenu: ((participant: Participant, name: string) => TemplateResult) | null;
}

/** What a tile shows, whether it holds a camera or a shared screen. */
interface TileFace {
  name: string;
  participant: Participant | null;
  stream: MediaStream | null;
  isLocal: boolean;
  /** Whether the muted icon shows (a screen has none). */
  isMuted: boolean;
  hasVideo: boolean;
}

function faceOf(tile: Tile, strings: Strings): TileFace {
  if (tile.kind === 'screen') {
    const name = strings.screenOf(tile.sharer.name || strings.guest);
    return {
      name,
      participant: null,
      stream: tile.stream,
      isLocal: false,
      isMuted: false,
      hasVideo: true,
    };
  }
  const { participant } = tile;
  // A peer whose picture came before its hello has no name yet.
  const isNameless = !participant.name && participant.connection?.state === 'connecting';
  return {
    name: participant.name || (isNameless ? strings.connecting : strings.guest),
    participant,
    stream: participant.stream,
    isLocal: participant.isLocal,
    isMuted: !participant.hasAudio,
    hasVideo: participant.hasVideo,
  };
}

/**
 * One tile: a participant or their shared screen. A remote tile keeps its <video> even with the
 * camera off (it also plays their sound) and covers it with a placeholder, so nobody sees a
 * frozen frame. Render it in a `repeat()` keyed by tile ID, so each video keeps its element.
 */
export function renderTile(
  { tile, rect, isFeatured, isPinned, isSpeaking }: PlacedTile,
  strings: Strings,
  { onTogglePin, onFullscreen, reactionOf, hostMenu }: TileActions,
): TemplateResult {
  const { name, participant, stream, isLocal, isMuted, hasVideo } = faceOf(tile, strings);
  const isScreen = tile.kind === 'screen';
  const connection = participant?.connection ?? null;
  const label = isLocal ? `${name} (${strings.you})` : name;
  const showsVideo = hasVideo && stream !== null;
  const keepsVideo = showsVideo || (!isLocal && stream !== null);
  const isUnreachable = connection?.state === 'unreachable';
  // Silent for 5 s: the picture may be frozen, so say so over it.
  const isReconnecting = connection?.state === 'reconnecting';
  const reaction = participant && !isScreen ? reactionOf(participant.id) : undefined;
  return html`
    <figure
      part=${tokens({
        tile: true,
        'tile-local': isLocal,
        'tile-featured': isFeatured,
        'tile-speaking': isSpeaking,
        'tile-screen': isScreen,
      })}
      class=${tokens({
        tile: true,
        local: isLocal,
        featured: isFeatured,
        speaking: isSpeaking,
        screen: isScreen,
        'no-video': !showsVideo,
        unreachable: isUnreachable,
        reconnecting: isReconnecting,
      })}
      ${placement(rect)}
      data-peer-id=${tile.id}
      data-connection=${connection?.state ?? 'local'}
      aria-label=${label}
    >
      ${
        isReconnecting
          ? html`<span part="reconnecting" class="reconnecting-label" role="status"
              >${strings.peerReconnecting}</span
            >`
          : nothing
      }
      ${
        keepsVideo
          ? html`<video
              part="video"
              ${mediaStream(stream)}
              .muted=${isLocal}
              ?hidden=${!showsVideo}
              autoplay
              playsinline
            ></video>`
          : nothing
      }
      ${
        showsVideo
          ? nothing
          : html`<div part="placeholder" class="placeholder">
              <span class="avatar" aria-hidden="true">${initials(name) || '?'}</span>
              ${
                isUnreachable
                  ? html`<span class="unreachable-label">${strings.unreachable}</span>`
                  : nothing
              }
            </div>`
      }
      <figcaption part="name" class="name">
        ${
          isMuted
            ? html`<span class="muted-icon" role="img" aria-label=${strings.microphoneOff}
                >${micOffIcon}</span
              >`
            : nothing
        }
        <span>${label}</span>
        ${
          participant?.role === 'host'
            ? html`<span part="host-badge" class="host-badge">${strings.host}</span>`
            : nothing
        }
        ${
          participant?.handRaised
            ? html`<span part="hand" class="hand" role="img" aria-label=${strings.handRaised}
                >✋</span
              >`
            : nothing
        }
        ${participant ? renderQuality(participant, strings) : nothing}
      </figcaption>
      ${reaction ? html`<span part="reaction" class="reaction" aria-hidden="true">${reaction}</span>` : nothing}
      <div class="tile-actions">
        ${renderIconButton({
          label: isPinned ? strings.unpin(name) : strings.pin(name),
          icon: pinIcon,
          action: 'pin',
          isPressed: isPinned,
          onClick: () => onTogglePin(tile.id),
        })}
        ${renderIconButton({
          label: strings.fullscreenTile(name),
          icon: fullscreenIcon,
          action: 'fullscreen-tile',
          onClick: () => onFullscreen(tile.id),
        })}
        ${participant ? renderConnectionInfo(participant, strings) : nothing}
        ${participant && !isLocal && hostMenu ? hostMenu(participant, name) : nothing}
      </div>
    </figure>
  `;
}
