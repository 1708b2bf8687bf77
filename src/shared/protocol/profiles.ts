import type { ProfileName, WireProfile } from './segment.js';
import { seedText } from './seedText.js';
import { standard } from './standard.js';

const profiles: Record<ProfileName, WireProfile> = { standard, 'seed-text': seedText };

export function getProfile(name: ProfileName): WireProfile {
  return profiles[name];
}

export { isProfileName } from '../limits.js';
