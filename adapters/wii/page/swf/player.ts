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
const PENDING_CODE = 'Jellyfin.Transcode.Pending';

/**
 * `say(text, waiting)`: shows a status line (traced as `msg <text>` when it changes) and
 * remembers whether it is a waiting state ("Preparing…", "Buffering…", "Seeking…"), which the
 * frame loop clears once playback time advances. Ruffle sends no Buffer.Full after a seek
 * inside a progressive download, and a real player may miss it too; advancing time is the
 * reliable sign that frames are showing.
 */
const sayFunction = defineFunction(
  'say',
  ['text', 'waiting'],
  set('busy', v('waiting')),
  ifElse(eq(v('said'), v('text')), [ret(s(undefined))]),
  set('said', v('text')),
  setText('msg', v('text')),
  trace(add(s('msg '), v('text'))),
);

const say = (text: Code, waiting: boolean): Code => stmt(callFunction('say', text, s(waiting)));

function statusHandler(): Code {
  const code = v('c');
  const is = (value: string): Code => eq(code, s(value));
  return fn(
    ['info'],
    trace(add(s('ns '), path('info', 'code'))),
    local('c', path('info', 'code')),
    ifElse(is('NetStream.Play.Start'), [set('ended', s(false)), say(s(PREPARING), true)]),
    ifElse(is('NetStream.Seek.Notify'), [set('ended', s(false)), say(s(PREPARING), true)]),
    ifElse(is(PENDING_CODE), [say(s(`${PREPARING} (starting the transcode)`), true)]),
    ifElse(is('NetStream.Buffer.Full'), [ifElse(not(v('paused')), [say(s(''), false)])]),
    ifElse(is('NetStream.Unpause.Notify'), [say(s(''), false)]),
    ifElse(is('NetStream.Pause.Notify'), [say(s('Paused'), false)]),
    ifElse(is('NetStream.Play.Stop'), [set('ended', s(true))]),
    ifElse(is('NetStream.Buffer.Empty'), [ifElse(v('ended'), [say(s('Finished'), false)], [say(s('Buffering\u2026'), true)])]),
    ifElse(eq(path('info', 'level'), s('error')), [say(add(s('Cannot play: '), v('c')), false)]),
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
    say(s(PREPARING), true),
    // HTTP mode: the page put the start offset into the FLV URL (the server seeks).
    ifElse(v('httpMode'), [stmt(callMethod(v('ns'), 'play', v('flv')))], [stmt(callMethod(v('ns'), 'play', v('stream'), v('startAt')))]),
  );
}

/** Pause button: the Wii Remote's A button is a mouse click. */
function pauseHandler(): Code {
  return fn(
    [],
    set('paused', not(v('paused'))),
    stmt(callMethod(v('ns'), 'pause', v('paused'))),
    ifElse(
      v('paused'),
      [trace(s('ui pause')), setText('pl', s('Play')), say(s('Paused'), false)],
      [trace(s('ui play')), setText('pl', s('Pause')), say(s(''), false)],
    ),
  );
}

/** Seek bar: seek where the pointer clicked (sb._xmouse is relative to the bar). */
function seekHandler(): Code {
  return fn(
    [],
    ifElse(gt(v('dur'), s(0)), [
      local('t', callMethod(v('Math'), 'floor', mul(div(path('sb', '_xmouse'), s(BAR_WIDTH)), v('dur')))),
      ifElse(lt(v('t'), s(0)), [local('t', s(0))]),
      trace(add(s('ui seek '), v('t'))),
      say(s('Seeking\u2026'), true),
      set('lastT', v('t')),
      stmt(callMethod(v('ns'), 'seek', v('t'))),
    ]),
  );
}

/**
 * Every frame: time / duration (traced as `tm <text>` when the text changes) and the seek bar
 * fill; a waiting message goes once time advances by less than a second (normal playback,
 * not a jump).
 */
function frameHandler(): Code {
  return fn(
    [],
    ifElse(v('ns'), [
      local('t', path('ns', 'time')),
      ifElse(v('busy'), [ifElse(not(v('paused')), [ifElse(gt(v('t'), v('lastT')), [ifElse(lt(v('t'), add(v('lastT'), s(1))), [say(s(''), false)])])])]),
      set('lastT', v('t')),
      ifElse(
        gt(v('dur'), s(0)),
        [
          local('x', add(add(callFunction('fmt', v('t')), s(' / ')), callFunction('fmt', v('dur')))),
          local('p', mul(div(v('t'), v('dur')), s(100))),
          ifElse(gt(v('p'), s(100)), [local('p', s(100))]),
          setMember(v('sf'), '_xscale', v('p')),
        ],
        [local('x', callFunction('fmt', v('t')))],
      ),
      ifElse(not(eq(v('x'), v('shown'))), [set('shown', v('x')), setText('tm', v('x')), trace(add(s('tm '), v('x')))]),
    ]),
  );
}

function script(): Code {
  return program(
    boxFunction,
    fmtFunction,
    sayFunction,
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
    set('busy', s(false)),
    set('said', s('')),
    set('shown', s('')),
    set('lastT', v('startAt')),
    textFormat('tfBig', 22, 'center'),
    textFormat('tfSmall', 18, 'left'),
    textFormat('tfButton', 18, 'center'),
    textField('msg', 10, 0, 150, PLAYER_WIDTH, 40, 'tfBig', ''),
    say(s('Connecting\u2026'), false),
    clip('pb', 20, 10, VIDEO_HEIGHT + 4, 100, 32, 0x444444),
    textField('pl', 21, 10, VIDEO_HEIGHT + 8, 100, 28, 'tfButton', 'Pause'),
    textField('tm', 22, 120, VIDEO_HEIGHT + 8, 145, 28, 'tfSmall', '0:00'),
    clip('sb', 30, BAR_X, VIDEO_HEIGHT + 12, BAR_WIDTH, 16, 0x555555),
    clip('sf', 31, BAR_X, VIDEO_HEIGHT + 12, BAR_WIDTH, 16, 0xdddddd),
    setMember(v('sf'), '_xscale', s(0)),
    setMember(v('pb'), 'onRelease', pauseHandler()),
    setMember(v('sb'), 'onRelease', seekHandler()),
    setMember(v('_root'), 'onEnterFrame', frameHandler()),
    startStreamFunction(),
    set('nc', newObject('NetConnection')),
    setMember(
      v('nc'),
      'onStatus',
      fn(
        ['info'],
        trace(add(s('nc '), path('info', 'code'))),
        ifElse(eq(path('info', 'code'), s('NetConnection.Connect.Success')), [stmt(callFunction('startStream'))], [
          ifElse(not(v('httpMode')), [say(add(s('Cannot connect: '), path('info', 'code')), false)]),
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

