// Profile "standard": the course's binary format. 8-byte big-endian header seq u32 | checksum u16 | type u16,
// then the raw payload. The checksum covers seq, type and payload (not itself); an ACK is seq, 0x0000, 0xAAAA.
import { wireProfile } from './codec.js';

export const standard = wireProfile('standard');
