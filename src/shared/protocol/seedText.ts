// Profile "seed-text": the reference implementation's format. Every bit travels as one ASCII character
// '0' (0x30) or '1' (0x31), most significant bit first: 32 chars seq, 16 chars checksum, 16 chars type, then
// 8 chars per payload byte. Its ACK carries a real checksum over seq and type. Its quirk, kept on purpose so
// we interoperate: with an odd number of payload bytes, the last byte is left out of the checksum (wire.ts).
import { wireProfile } from './codec.js';

export const seedText = wireProfile('seed-text');
