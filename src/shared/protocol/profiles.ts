import { PROFILE_NAMES, type ProfileName, type WireProfile } from './segment.js';
import { seedText } from './seedText.js';
import { standard } from './standard.js';

const profiles: Record<ProfileName, WireProfile> = { standard, 'seed-text': seedText };

export function getProfile(name: ProfileName): WireProfile {
  return profiles[name];
}

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}
