/** A CSS-WC request (type 0) whose originate field is (seconds, nanoseconds), as a client sends it. */
import { encodeWcPacket, WC_TYPE } from '../../../adapters/dvbcss/wallclock-codec.js';

export function wcRequest(seconds: number, nanoseconds = 0): Buffer {
  const zero = { seconds: 0, nanoseconds: 0 };
  return encodeWcPacket({ version: 0, type: WC_TYPE.request, precisionLog2: 0, maxFreqError: 0, originate: { seconds, nanoseconds }, receive: zero, transmit: zero });
}
