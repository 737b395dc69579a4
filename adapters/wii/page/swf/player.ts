/**
 * The Wii player SWF: version 8, AVM1, one static file parameterised by FlashVars, so browsers
 * and the Wii cache it. Pure: returns bytes.
 *
 * FlashVars: `rtmp` (rtmp://host:port/app), `stream` (stream name = item id), `start` (s),
 * `dur` (s, until onMetaData says better), `buf` (client buffer, s), `flv` (progressive FLV URL
 * instead of RTMP: the test path for Ruffle, which cannot do RTMP).
 *
 * UI (built at run time with the AS2 drawing API and createTextField, which Flash Lite 3.1
 * supports, so no fonts or shapes are embedded): the video, a status line ("Connecting…",
 * "Preparing…" on Play.Start/Seek.Notify/our pending status, cleared on Buffer.Full), a pause
 * button, time / duration, and a seek bar that seeks where the Wii Remote pointer clicks.
 * Every status code is traced (`ns <code>`), which Ruffle prints to the browser console.
 */
import {
  add,
  callFunction,
  callMethod,
  defineFunction,
  div,
  eq,
  fn,
  getVar,
  gt,
  ifElse,
  lit,
  local,
  lt,
  mod,
  mul,
  newObject,
  not,
  path,
  program,
  ret,
  set,
  setMember,
  stmt,
  trace,
  type Code,
} from './avm1.js';
import { defineVideoStream, doAction, fileAttributes, placeObject2, setBackgroundColor, swfFile, TagCode, tag } from './swf-writer.js';

export const PLAYER_WIDTH = 640;
export const PLAYER_HEIGHT = 400;
const VIDEO_HEIGHT = 360;
const BAR_X = 270;
const BAR_WIDTH = 350;

const v = getVar;
const s = lit;
const setText = (field: string, text: Code): Code => setMember(v(field), 'text', text);

/** `mc.beginFill(c); moveTo/lineTo a w×h box at 0,0; endFill()` */
const boxFunction = defineFunction(
  'box',
  ['mc', 'w', 'h', 'c'],
  stmt(callMethod(v('mc'), 'beginFill', v('c'), s(100))),
  stmt(callMethod(v('mc'), 'moveTo', s(0), s(0))),
  stmt(callMethod(v('mc'), 'lineTo', v('w'), s(0))),
  stmt(callMethod(v('mc'), 'lineTo', v('w'), v('h'))),
  stmt(callMethod(v('mc'), 'lineTo', s(0), v('h'))),
  stmt(callMethod(v('mc'), 'lineTo', s(0), s(0))),
  stmt(callMethod(v('mc'), 'endFill')),
);

/** m:ss from seconds. */
const fmtFunction = defineFunction(
  'fmt',
  ['t'],
  local('t', callMethod(v('Math'), 'floor', v('t'))),
  local('r', mod(v('t'), s(60))),
  local('m', callMethod(v('Math'), 'floor', div(v('t'), s(60)))),
  ifElse(lt(v('r'), s(10)), [local('r', add(s('0'), v('r')))]),
  ret(add(add(v('m'), s(':')), v('r'))),
);

function textField(name: string, depth: number, x: number, y: number, w: number, h: number, format: string, text: string): Code {
  return Buffer.concat([
    stmt(callMethod(v('_root'), 'createTextField', s(name), s(depth), s(x), s(y), s(w), s(h))),
    stmt(callMethod(v(name), 'setNewTextFormat', v(format))),
    setMember(v(name), 'selectable', s(false)),
    setText(name, s(text)),
  ]);
}

function textFormat(name: string, size: number, align: string): Code {
  return Buffer.concat([
    set(name, newObject('TextFormat')),
    setMember(v(name), 'font', s('_sans')),
    setMember(v(name), 'size', s(size)),
    setMember(v(name), 'color', s(0xffffff)),
    setMember(v(name), 'align', s(align)),
  ]);
}

function clip(name: string, depth: number, x: number, y: number, w: number, h: number, color: number): Code {
  return Buffer.concat([
    stmt(callMethod(v('_root'), 'createEmptyMovieClip', s(name), s(depth))),
    stmt(callFunction('box', v(name), s(w), s(h), s(color))),
    setMember(v(name), '_x', s(x)),
    setMember(v(name), '_y', s(y)),
  ]);
}

const PREPARING = 'Preparing\u2026';

function statusHandler(): Code {
  const code = v('c');
  const is = (value: string): Code => eq(code, s(value));
  return fn(
    ['info'],
    trace(add(s('ns '), path('info', 'code'))),
    local('c', path('info', 'code')),
    ifElse(is('NetStream.Play.Start'), [set('ended', s(false)), setText('msg', s(PREPARING))]),
    ifElse(is('NetStream.Seek.Notify'), [set('ended', s(false)), setText('msg', s(PREPARING))]),
    ifElse(is('Jellyfin.Transcode.Pending'), [setText('msg', s(`${PREPARING} (starting the transcode)`))]),
    ifElse(is('NetStream.Buffer.Full'), [setText('msg', s(''))]),
    ifElse(is('NetStream.Unpause.Notify'), [setText('msg', s(''))]),
    ifElse(is('NetStream.Pause.Notify'), [setText('msg', s('Paused'))]),
    ifElse(is('NetStream.Play.Stop'), [set('ended', s(true))]),
    ifElse(is('NetStream.Buffer.Empty'), [ifElse(v('ended'), [setText('msg', s('Finished'))], [setText('msg', s('Buffering\u2026'))])]),
    ifElse(eq(path('info', 'level'), s('error')), [setText('msg', add(s('Cannot play: '), v('c')))]),
  );
}

function startStreamFunction(): Code {
  return defineFunction(
    'startStream',
    [],
    ifElse(v('started'), [ret(s(undefined))]),
    set('started', s(true)),
    set('ns', newObject('NetStream', v('nc'))),
    stmt(callMethod(v('vid'), 'attachVideo', v('ns'))),
    stmt(callMethod(v('ns'), 'setBufferTime', v('bufT'))),
    setMember(v('ns'), 'onStatus', statusHandler()),
    setMember(v('ns'), 'onPlayStatus', fn(['info'], trace(add(s('ns '), path('info', 'code'))), ifElse(eq(path('info', 'code'), s('NetStream.Play.Complete')), [set('ended', s(true))]))),
    setMember(v('ns'), 'onMetaData', fn(['m'], ifElse(gt(path('m', 'duration'), s(0)), [set('dur', path('m', 'duration'))]))),
    setText('msg', s(PREPARING)),
    ifElse(v('httpMode'), [stmt(callMethod(v('ns'), 'play', v('flv')))], [stmt(callMethod(v('ns'), 'play', v('stream'), v('startAt')))]),
  );
}

function script(): Code {
  return program(
    boxFunction,
    fmtFunction,
    // FlashVars arrive as strings on _root.
    set('dur', callFunction('Number', v('dur'))),
    ifElse(not(gt(v('dur'), s(0))), [set('dur', s(0))]),
    set('startAt', callFunction('Number', v('start'))),
    ifElse(not(gt(v('startAt'), s(0))), [set('startAt', s(0))]),
    set('bufT', callFunction('Number', v('buf'))),
    ifElse(not(gt(v('bufT'), s(0))), [set('bufT', s(3))]),
    set('httpMode', not(not(v('flv')))),
    set('started', s(false)),
    set('ended', s(false)),
    set('paused', s(false)),
    textFormat('tfBig', 22, 'center'),
    textFormat('tfSmall', 18, 'left'),
    textFormat('tfButton', 18, 'center'),
    textField('msg', 10, 0, 150, PLAYER_WIDTH, 40, 'tfBig', 'Connecting\u2026'),
    clip('pb', 20, 10, VIDEO_HEIGHT + 4, 100, 32, 0x444444),
    textField('pl', 21, 10, VIDEO_HEIGHT + 8, 100, 28, 'tfButton', 'Pause'),
    textField('tm', 22, 120, VIDEO_HEIGHT + 8, 145, 28, 'tfSmall', '0:00'),
    clip('sb', 30, BAR_X, VIDEO_HEIGHT + 12, BAR_WIDTH, 16, 0x555555),
    clip('sf', 31, BAR_X, VIDEO_HEIGHT + 12, BAR_WIDTH, 16, 0xdddddd),
    setMember(v('sf'), '_xscale', s(0)),
    // Pause button: the Wii Remote's A button is a mouse click.
    setMember(
      v('pb'),
      'onRelease',
      fn(
        [],
        set('paused', not(v('paused'))),
        stmt(callMethod(v('ns'), 'pause', v('paused'))),
        ifElse(v('paused'), [setText('pl', s('Play'))], [setText('pl', s('Pause'))]),
      ),
    ),
    // Seek bar: seek where the pointer clicked (sb._xmouse is relative to the bar).
    setMember(
      v('sb'),
      'onRelease',
      fn(
        [],
        ifElse(gt(v('dur'), s(0)), [
          local('t', mul(div(path('sb', '_xmouse'), s(BAR_WIDTH)), v('dur'))),
          ifElse(lt(v('t'), s(0)), [local('t', s(0))]),
          setText('msg', s('Seeking\u2026')),
          stmt(callMethod(v('ns'), 'seek', v('t'))),
        ]),
      ),
    ),
    setMember(
      v('_root'),
      'onEnterFrame',
      fn(
        [],
        ifElse(v('ns'), [
          local('t', path('ns', 'time')),
          ifElse(
            gt(v('dur'), s(0)),
            [
              setText('tm', add(add(callFunction('fmt', v('t')), s(' / ')), callFunction('fmt', v('dur')))),
              local('p', mul(div(v('t'), v('dur')), s(100))),
              ifElse(gt(v('p'), s(100)), [local('p', s(100))]),
              setMember(v('sf'), '_xscale', v('p')),
            ],
            [setText('tm', callFunction('fmt', v('t')))],
          ),
        ]),
      ),
    ),
    startStreamFunction(),
    set('nc', newObject('NetConnection')),
    setMember(
      v('nc'),
      'onStatus',
      fn(
        ['info'],
        trace(add(s('nc '), path('info', 'code'))),
        ifElse(eq(path('info', 'code'), s('NetConnection.Connect.Success')), [stmt(callFunction('startStream'))], [
          ifElse(not(v('httpMode')), [setText('msg', add(s('Cannot connect: '), path('info', 'code')))]),
        ]),
      ),
    ),
    ifElse(
      v('httpMode'),
      [stmt(callMethod(v('nc'), 'connect', s(null))), stmt(callFunction('startStream'))],
      [stmt(callMethod(v('nc'), 'connect', v('rtmp')))],
    ),
  );
}

/** Builds the player SWF (deterministic bytes: cacheable, ETag = hash). */
export function buildPlayerSwf(): Buffer {
  return swfFile({ version: 8, widthPx: PLAYER_WIDTH, heightPx: PLAYER_HEIGHT, fps: 12, frameCount: 1 }, [
    fileAttributes(true),
    setBackgroundColor(0x000000),
    defineVideoStream(1, PLAYER_WIDTH, VIDEO_HEIGHT, true),
    placeObject2(1, 1, 'vid'),
    doAction(script()),
    tag(TagCode.showFrame),
    tag(TagCode.end),
  ]);
}

/** Exposed for tests: the action bytes of the player. */
export function playerScript(): Buffer {
  return script();
}

