import { html, nothing, type TemplateResult } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import type { Strings } from '../i18n/strings.js';
import type { Participant, ParticipantConnection } from '../room/participant.js';
import { infoIcon, micOffIcon } from './icons.js';

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
  const parts = [connection.candidateType ? strings.candidateTypes[connection.candidateType] : ''];
  if (connection.roundTripMs !== null) parts.push(strings.roundTrip(connection.roundTripMs));
  return parts.filter(Boolean).join(' · ');
}

// A popover (no script) with how this participant is reached, so a site owner can see TURN at work.
function renderConnectionInfo(participant: Participant, strings: Strings): TemplateResult {
  const connection = participant.connection;
  if (!connection) return html``;
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
    </div>`;
}

/**
 * One participant's tile. A remote tile keeps its <video> even with the camera off (it also
 * plays their sound) and covers it with a placeholder, so nobody sees a frozen frame.
 */
export function renderTile(participant: Participant, strings: Strings): TemplateResult {
  const name = participant.name || strings.guest;
  const label = participant.isLocal ? `${name} (${strings.you})` : name;
  const showsVideo = participant.hasVideo && participant.stream !== null;
  const keepsVideo = showsVideo || (!participant.isLocal && participant.stream !== null);
  return html`
    <figure
      part="tile${participant.isLocal ? ' tile-local' : ''}"
      class=${classMap({
        tile: true,
        local: participant.isLocal,
        'no-video': !showsVideo,
        unreachable: participant.connection?.state === 'unreachable',
      })}
      data-peer-id=${participant.id}
      aria-label=${label}
    >
      ${
        keepsVideo
          ? html`<video
              part="video"
              .srcObject=${participant.stream}
              .muted=${participant.isLocal}
              ?hidden=${!showsVideo}
              autoplay
              playsinline
            ></video>`
          : nothing
      }
      ${
        showsVideo
          ? nothing
          : html`<div part="placeholder" class="placeholder" aria-hidden="true">
              <span class="avatar">${initials(name) || '?'}</span>
            </div>`
      }
      <figcaption part="name" class="name">
        ${
          participant.hasAudio
            ? nothing
            : html`<span class="muted-icon" role="img" aria-label=${strings.microphoneOff}
                >${micOffIcon}</span
              >`
        }
        <span>${label}</span>
      </figcaption>
      ${renderConnectionInfo(participant, strings)}
    </figure>
  `;
}
