/*
 * CSS-WC responder thread for the dvbcss adapter (Linux, N-API).
 *
 * Why native: a client's error bound is half the round trip it measures, and the round trip
 * includes everything between the request reaching this host and t2 being read, and between t3
 * being read and the reply leaving. In Node that is an event-loop wake-up plus the JS handler
 * (~0.1 ms on a loaded 2-core VM). Here a dedicated thread blocks on the socket, t2 is the
 * kernel's receive timestamp (SO_TIMESTAMPNS) moved onto CLOCK_MONOTONIC, and t3 is read right
 * before sendto(), so neither the wake-up nor JS is counted.
 *
 * The wall clock is CLOCK_MONOTONIC, the clock process.hrtime() reads on Linux, so control
 * timestamps sent by the JS side stay on the same timeline (the loader checks this at start).
 *
 * Device-registry decisions stay in JS: a request from an address without a cached verdict is
 * handed to JS (thread-safe function) with its t2; JS decides, caches the verdict here
 * (setVerdict) and, if allowed, answers it (answer). Later requests from an allowed address are
 * answered by the thread alone until the verdict expires or JS clears the cache.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <poll.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef __linux__
#error "the native wall-clock responder is Linux-only; the adapter falls back to its JS responder"
#endif

enum { WC_LEN = 32, VERDICT_SLOTS = 4096, VERDICT_MAX_FILL = 3072, DEFERRED_QUEUE_MAX = 256, DRAIN_MAX = 64 };
enum { WC_REQUEST = 0, WC_RESPONSE = 1, WC_RESPONSE_WITH_FOLLOW_UP = 2, WC_FOLLOW_UP = 3 };

/* Longest plausible delay between the kernel's receive stamp and our clock reads; beyond it (a
 * CLOCK_REALTIME step between the two) the conversion is not trusted and t2 is read directly. */
static const int64_t MAX_KERNEL_STAMP_AGE_NS = 100000000;

typedef struct {
  uint8_t used;
  uint8_t allowed;
  uint8_t family;
  uint8_t addr[16];
  int64_t until_ns;
} verdict_t;

typedef struct {
  int fd;
  int stop_fd;
  pthread_t thread;
  int thread_started;
  int closed;
  /* Both owners of this struct must let go before it is freed: the JS handle's finalizer and the
   * thread-safe function's (which Node runs later, on the loop, after the abort in close()). */
  int handle_finalized;
  int tsfn_finalized;
  int8_t precision_log2;
  uint32_t max_freq_error;
  int follow_up;
  int64_t verdict_ttl_ns;
  pthread_mutex_t lock; /* guards verdicts and verdict_count */
  verdict_t verdicts[VERDICT_SLOTS];
  size_t verdict_count;
  napi_threadsafe_function on_unknown;
  atomic_uint_fast64_t requests, ignored, refused, send_errors, overflow;
} responder_t;

/* A request from an address without a verdict, on its way to JS. */
typedef struct {
  struct sockaddr_storage from;
  socklen_t from_len;
  uint8_t packet[WC_LEN];
  int64_t t2;
} deferred_t;

static int64_t clock_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- packets (pure) ---- */

static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static void put_timevalue(uint8_t *p, int64_t ns) {
  put_u32(p, (uint32_t)(ns / 1000000000LL));
  put_u32(p + 4, (uint32_t)(ns % 1000000000LL));
}

static int is_request(const uint8_t *p, ssize_t len, int flags) {
  return len == WC_LEN && !(flags & MSG_TRUNC) && p[0] == 0 && p[1] == WC_REQUEST;
}

/* Same layout as wallclock-codec.ts buildWcResponse: originate copied verbatim, byte 3 zero. */
static void build_response(uint8_t *out, const uint8_t *request, uint8_t type, const responder_t *r, int64_t t2, int64_t t3) {
  memset(out, 0, WC_LEN);
  out[1] = type;
  out[2] = (uint8_t)r->precision_log2;
  put_u32(out + 4, r->max_freq_error);
  memcpy(out + 8, request + 8, 8);
  put_timevalue(out + 16, t2);
  put_timevalue(out + 24, t3);
}

/* ---- verdict cache (open addressing; cleared when too full, like the JS cache) ---- */

static int address_of(const struct sockaddr_storage *from, uint8_t *family, uint8_t addr[16]) {
  memset(addr, 0, 16);
  if (from->ss_family == AF_INET) {
    *family = 4;
    memcpy(addr, &((const struct sockaddr_in *)from)->sin_addr, 4);
    return 1;
  }
  if (from->ss_family == AF_INET6) {
    *family = 6;
    memcpy(addr, &((const struct sockaddr_in6 *)from)->sin6_addr, 16);
    return 1;
  }
  return 0;
}

static size_t slot_of(uint8_t family, const uint8_t addr[16]) {
  uint64_t h = 1469598103934665603ULL ^ family; /* FNV-1a */
  for (int i = 0; i < 16; i++) h = (h ^ addr[i]) * 1099511628211ULL;
  return (size_t)(h % VERDICT_SLOTS);
}

/* 1 allowed, 0 refused, -1 unknown or expired. Caller holds the lock. */
static int verdict_lookup(responder_t *r, uint8_t family, const uint8_t addr[16], int64_t now) {
  for (size_t i = slot_of(family, addr), n = 0; n < VERDICT_SLOTS; i = (i + 1) % VERDICT_SLOTS, n++) {
    verdict_t *v = &r->verdicts[i];
    if (!v->used) return -1;
    if (v->family == family && memcmp(v->addr, addr, 16) == 0) return v->until_ns > now ? v->allowed : -1;
  }
  return -1;
}

/* Caller holds the lock. */
static void verdicts_clear(responder_t *r) {
  memset(r->verdicts, 0, sizeof r->verdicts);
  r->verdict_count = 0;
}

static void verdict_store(responder_t *r, uint8_t family, const uint8_t addr[16], int allowed, int64_t until) {
  if (r->verdict_count >= VERDICT_MAX_FILL) verdicts_clear(r);
  for (size_t i = slot_of(family, addr), n = 0; n < VERDICT_SLOTS; i = (i + 1) % VERDICT_SLOTS, n++) {
    verdict_t *v = &r->verdicts[i];
    if (v->used && !(v->family == family && memcmp(v->addr, addr, 16) == 0)) continue;
    if (!v->used) r->verdict_count++;
    v->used = 1;
    v->family = family;
    memcpy(v->addr, addr, 16);
    v->allowed = (uint8_t)(allowed != 0);
    v->until_ns = until;
    return;
  }
}

/* ---- sending (receive thread, or JS thread for deferred requests) ---- */

static void send_reply(responder_t *r, const uint8_t *request, int64_t t2, const struct sockaddr *to, socklen_t to_len) {
  uint8_t out[WC_LEN];
  uint8_t type = r->follow_up ? WC_RESPONSE_WITH_FOLLOW_UP : WC_RESPONSE;
  build_response(out, request, type, r, t2, clock_ns(CLOCK_MONOTONIC));
  /* MSG_DONTWAIT: a full send buffer costs one reply, never blocks the thread or close(). */
  if (sendto(r->fd, out, WC_LEN, MSG_DONTWAIT, to, to_len) != WC_LEN) {
    atomic_fetch_add(&r->send_errors, 1);
    return;
  }
  if (r->follow_up) {
    out[1] = WC_FOLLOW_UP;
    put_timevalue(out + 24, clock_ns(CLOCK_MONOTONIC));
    if (sendto(r->fd, out, WC_LEN, MSG_DONTWAIT, to, to_len) != WC_LEN) atomic_fetch_add(&r->send_errors, 1);
  }
}

/* ---- receive thread ---- */

/* t2 on CLOCK_MONOTONIC from the kernel's CLOCK_REALTIME receive stamp (or now, without one). */
static int64_t receive_time(struct msghdr *msg) {
  int64_t mono_before = clock_ns(CLOCK_MONOTONIC);
  int64_t real = clock_ns(CLOCK_REALTIME);
  int64_t mono_after = clock_ns(CLOCK_MONOTONIC);
  int64_t mono = mono_before + (mono_after - mono_before) / 2;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    struct timespec ts;
    memcpy(&ts, CMSG_DATA(c), sizeof ts);
    int64_t age = real - ((int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    if (age >= 0 && age < MAX_KERNEL_STAMP_AGE_NS) return mono - age;
  }
  return mono_before;
}

static void handle_datagram(responder_t *r, const uint8_t *buf, ssize_t len, struct msghdr *msg, int64_t t2) {
  if (!is_request(buf, len, msg->msg_flags)) {
    atomic_fetch_add(&r->ignored, 1);
    return;
  }
  const struct sockaddr_storage *from = msg->msg_name;
  uint8_t family, addr[16];
  if (!address_of(from, &family, addr)) {
    atomic_fetch_add(&r->ignored, 1);
    return;
  }
  pthread_mutex_lock(&r->lock);
  int verdict = verdict_lookup(r, family, addr, t2);
  pthread_mutex_unlock(&r->lock);
  if (verdict == 1) {
    atomic_fetch_add(&r->requests, 1);
    send_reply(r, buf, t2, msg->msg_name, msg->msg_namelen);
    return;
  }
  if (verdict == 0) {
    atomic_fetch_add(&r->refused, 1);
    return;
  }
  deferred_t *d = malloc(sizeof *d);
  if (d == NULL) {
    atomic_fetch_add(&r->overflow, 1);
    return;
  }
  memcpy(&d->from, from, msg->msg_namelen);
  d->from_len = msg->msg_namelen;
  memcpy(d->packet, buf, WC_LEN);
  d->t2 = t2;
  if (napi_call_threadsafe_function(r->on_unknown, d, napi_tsfn_nonblocking) != napi_ok) {
    free(d);
    atomic_fetch_add(&r->overflow, 1);
  }
}

static void *receive_loop(void *arg) {
  responder_t *r = arg;
  struct pollfd fds[2] = {{.fd = r->fd, .events = POLLIN}, {.fd = r->stop_fd, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) break;
    if (!(fds[0].revents & POLLIN)) continue;
    /* Drain what is queued, at most DRAIN_MAX at a time, so a flood cannot keep the thread from
     * seeing the stop request in poll(). */
    for (int drained = 0; drained < DRAIN_MAX; drained++) {
      uint8_t buf[64];
      struct sockaddr_storage from;
      char control[128];
      struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
      struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
      ssize_t n = recvmsg(r->fd, &msg, MSG_DONTWAIT);
      if (n < 0) break; /* EAGAIN, or an ICMP error queued on the socket: poll again */
      handle_datagram(r, buf, n, &msg, receive_time(&msg));
    }
  }
  return NULL;
}

/* ---- N-API glue ---- */

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  const char *code = err == EADDRINUSE ? "EADDRINUSE" : err == EACCES ? "EACCES" : err == EADDRNOTAVAIL ? "EADDRNOTAVAIL" : err == EINVAL ? "EINVAL" : "ENATIVE";
  napi_throw_error(env, code, message);
  return NULL;
}

static napi_value throw_bad_arguments(napi_env env, const char *signature) {
  char message[160];
  snprintf(message, sizeof message, "%s: bad arguments", signature);
  napi_throw_type_error(env, "EINVAL", message);
  return NULL;
}

#define CHECK(call)                                                                                                                                  \
  do {                                                                                                                                               \
    if ((call) != napi_ok) {                                                                                                                         \
      napi_throw_error(env, "ENATIVE", "N-API call failed: " #call);                                                                                 \
      return NULL;                                                                                                                                   \
    }                                                                                                                                                \
  } while (0)

static void stop_responder(responder_t *r) {
  if (r->closed) return;
  r->closed = 1;
  if (r->thread_started) {
    uint64_t one = 1;
    ssize_t ignored = write(r->stop_fd, &one, sizeof one);
    (void)ignored;
    pthread_join(r->thread, NULL);
  }
  close(r->fd);
  close(r->stop_fd);
  /* Aborted: requests still queued for JS are dropped (call_on_unknown frees them). */
  if (!r->tsfn_finalized) napi_release_threadsafe_function(r->on_unknown, napi_tsfn_abort);
}

static void free_responder(responder_t *r) {
  pthread_mutex_destroy(&r->lock);
  free(r);
}

/* The environment is going away (process exit) with the responder open: stop the thread before
 * Node tears down the thread-safe function it may be calling. */
static void cleanup_hook(void *data) {
  stop_responder(data);
}

/* The JS handle was collected (after close(), or instead of it). */
static void finalize_handle(napi_env env, void *data, void *hint) {
  (void)hint;
  responder_t *r = data;
  stop_responder(r);
  napi_remove_env_cleanup_hook(env, cleanup_hook, r);
  r->handle_finalized = 1;
  if (r->tsfn_finalized) free_responder(r);
}

/* The thread-safe function is gone (Node runs this on the loop after the release). */
static void finalize_tsfn(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  responder_t *r = data;
  r->tsfn_finalized = 1;
  if (r->handle_finalized) free_responder(r);
}

/* Runs on the JS thread: onUnknown(sender: Buffer, address: string, request: Buffer, t2: bigint). */
static void call_on_unknown(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  deferred_t *d = data;
  if (env == NULL || callback == NULL) {
    free(d);
    return;
  }
  char text[INET6_ADDRSTRLEN] = "";
  if (d->from.ss_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)&d->from)->sin_addr, text, sizeof text);
  else inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&d->from)->sin6_addr, text, sizeof text);
  napi_value argv[4], undefined;
  void *bytes;
  if (napi_create_buffer_copy(env, d->from_len, &d->from, &bytes, &argv[0]) == napi_ok &&
      napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &argv[1]) == napi_ok &&
      napi_create_buffer_copy(env, WC_LEN, d->packet, &bytes, &argv[2]) == napi_ok && napi_create_bigint_int64(env, d->t2, &argv[3]) == napi_ok &&
      napi_get_undefined(env, &undefined) == napi_ok) {
    napi_call_function(env, undefined, callback, 4, argv, NULL);
  }
  free(d);
}

/* Reads `n` arguments (missing ones are undefined) and the responder handle in argv[0]; throws
 * and returns NULL when argv[0] is not a handle, or is closed unless `allow_closed`. */
static responder_t *responder_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv, int allow_closed) {
  void *data = NULL;
  if (napi_get_cb_info(env, info, &n, argv, NULL, NULL) != napi_ok || napi_get_value_external(env, argv[0], &data) != napi_ok || data == NULL) {
    napi_throw_type_error(env, "EINVAL", "not a wall-clock responder handle");
    return NULL;
  }
  responder_t *r = data;
  if (r->closed && !allow_closed) {
    napi_throw_error(env, "ECLOSED", "wall-clock responder is closed");
    return NULL;
  }
  return r;
}

static int get_int_property(napi_env env, napi_value object, const char *name, int64_t *out) {
  napi_value v;
  return napi_get_named_property(env, object, name, &v) == napi_ok && napi_get_value_int64(env, v, out) == napi_ok;
}

static int get_bool_property(napi_env env, napi_value object, const char *name, bool *out) {
  napi_value v;
  return napi_get_named_property(env, object, name, &v) == napi_ok && napi_get_value_bool(env, v, out) == napi_ok;
}

static int get_string_property(napi_env env, napi_value object, const char *name, char *out, size_t size) {
  napi_value v;
  size_t len;
  return napi_get_named_property(env, object, name, &v) == napi_ok && napi_get_value_string_utf8(env, v, out, size, &len) == napi_ok;
}

/* An IP literal and port → a bindable address; 0 when `address` is not a literal. */
static socklen_t bind_address(const char *address, uint16_t port, struct sockaddr_storage *out) {
  memset(out, 0, sizeof *out);
  struct sockaddr_in *in = (struct sockaddr_in *)out;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
  if (inet_pton(AF_INET, address, &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    return sizeof *in;
  }
  if (inet_pton(AF_INET6, address, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    return sizeof *in6;
  }
  return 0;
}

/* A bound, timestamping socket (dual-stack for IPv6, like Node's udp6 sockets); -1 with errno
 * and the failing step in `*step`. */
static int open_socket(const struct sockaddr_storage *bind_to, socklen_t bind_len, const char **step) {
  int one = 1, zero = 0;
  int fd = socket(bind_to->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  *step = "socket";
  if (fd < 0) return -1;
  if (bind_to->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) != 0) *step = "IPV6_V6ONLY";
  else if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0) *step = "SO_TIMESTAMPNS";
  else if (bind(fd, (const struct sockaddr *)bind_to, bind_len) != 0) *step = "bind";
  else return fd;
  int err = errno;
  close(fd);
  errno = err;
  return -1;
}

/* open({ address, port, precisionLog2, maxFreqError, followUp, verdictTtlMs }, onUnknown) → handle.
 * `address` must be an IP literal (the JS side resolves names first). */
static napi_value responder_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], name, handle;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char address[INET6_ADDRSTRLEN + 1];
  int64_t port, precision, mfe, ttl_ms;
  bool follow_up;
  if (!get_string_property(env, argv[0], "address", address, sizeof address) || !get_int_property(env, argv[0], "port", &port) ||
      !get_int_property(env, argv[0], "precisionLog2", &precision) || !get_int_property(env, argv[0], "maxFreqError", &mfe) ||
      !get_int_property(env, argv[0], "verdictTtlMs", &ttl_ms) || !get_bool_property(env, argv[0], "followUp", &follow_up)) {
    return throw_bad_arguments(env, "open(options, onUnknown)");
  }
  if (port < 0 || port > 65535 || precision < -128 || precision > 127 || mfe < 0 || mfe > 0xffffffffLL || ttl_ms < 0) {
    napi_throw_range_error(env, "EINVAL", "open(options, onUnknown): option out of range");
    return NULL;
  }
  struct sockaddr_storage bind_to;
  socklen_t bind_len = bind_address(address, (uint16_t)port, &bind_to);
  if (bind_len == 0) {
    napi_throw_type_error(env, "EINVAL", "open: address is not an IP literal");
    return NULL;
  }
  CHECK(napi_create_string_utf8(env, "dvbcss wall clock", NAPI_AUTO_LENGTH, &name));

  responder_t *r = calloc(1, sizeof *r);
  if (r == NULL) return throw_errno(env, "calloc", ENOMEM);
  r->precision_log2 = (int8_t)precision;
  r->max_freq_error = (uint32_t)mfe;
  r->follow_up = follow_up;
  r->verdict_ttl_ns = ttl_ms * 1000000LL;
  pthread_mutex_init(&r->lock, NULL);
  const char *step;
  r->fd = open_socket(&bind_to, bind_len, &step);
  int err = errno;
  if (r->fd >= 0) {
    r->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    err = errno, step = "eventfd";
    if (r->stop_fd < 0) close(r->fd);
  }
  if (r->fd < 0 || r->stop_fd < 0) {
    free_responder(r);
    char what[128];
    snprintf(what, sizeof what, "%s %s:%d", step, address, (int)port);
    return throw_errno(env, what, err);
  }
  if (napi_create_threadsafe_function(env, argv[1], NULL, name, DEFERRED_QUEUE_MAX, 1, r, finalize_tsfn, NULL, call_on_unknown, &r->on_unknown) != napi_ok) {
    close(r->fd);
    close(r->stop_fd);
    free_responder(r);
    napi_throw_error(env, "ENATIVE", "cannot create the thread-safe callback");
    return NULL;
  }
  if (napi_create_external(env, r, finalize_handle, NULL, &handle) != napi_ok) {
    stop_responder(r);
    r->handle_finalized = 1; /* no handle will ever be finalized: finalize_tsfn frees */
    napi_throw_error(env, "ENATIVE", "cannot wrap the responder");
    return NULL;
  }
  napi_add_env_cleanup_hook(env, cleanup_hook, r);
  if ((err = pthread_create(&r->thread, NULL, receive_loop, r)) != 0) {
    stop_responder(r); /* freed once the handle and the thread-safe function are finalized */
    return throw_errno(env, "pthread_create", err);
  }
  r->thread_started = 1;
  return handle;
}

/* port(handle) → the bound port. */
static napi_value responder_port(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  responder_t *r = responder_args(env, info, 1, argv, 0);
  if (r == NULL) return NULL;
  struct sockaddr_storage bound;
  socklen_t len = sizeof bound;
  if (getsockname(r->fd, (struct sockaddr *)&bound, &len) != 0) return throw_errno(env, "getsockname", errno);
  uint16_t port = bound.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&bound)->sin_port) : ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
  CHECK(napi_create_uint32(env, port, &result));
  return result;
}

static int get_sender(napi_env env, napi_value value, struct sockaddr_storage *out, socklen_t *len) {
  void *data;
  size_t size;
  if (napi_get_buffer_info(env, value, &data, &size) != napi_ok || size == 0 || size > sizeof *out) return 0;
  memset(out, 0, sizeof *out);
  memcpy(out, data, size);
  *len = (socklen_t)size;
  return out->ss_family == AF_INET || out->ss_family == AF_INET6;
}

/* answer(handle, sender, request, t2): replies to a deferred request JS has allowed. */
static napi_value responder_answer(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  responder_t *r = responder_args(env, info, 4, argv, 0);
  if (r == NULL) return NULL;
  struct sockaddr_storage to;
  socklen_t to_len;
  void *request;
  size_t request_len;
  int64_t t2;
  bool lossless;
  if (!get_sender(env, argv[1], &to, &to_len) || napi_get_buffer_info(env, argv[2], &request, &request_len) != napi_ok || request_len != WC_LEN ||
      napi_get_value_bigint_int64(env, argv[3], &t2, &lossless) != napi_ok) {
    return throw_bad_arguments(env, "answer(handle, sender, request, t2)");
  }
  atomic_fetch_add(&r->requests, 1);
  send_reply(r, request, t2, (struct sockaddr *)&to, to_len);
  return NULL;
}

/* setVerdict(handle, sender, allowed): caches the registry's decision for the sender's address. */
static napi_value responder_set_verdict(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  responder_t *r = responder_args(env, info, 3, argv, 0);
  if (r == NULL) return NULL;
  struct sockaddr_storage from;
  socklen_t len;
  bool allowed;
  uint8_t family, addr[16];
  if (!get_sender(env, argv[1], &from, &len) || napi_get_value_bool(env, argv[2], &allowed) != napi_ok || !address_of(&from, &family, addr)) {
    return throw_bad_arguments(env, "setVerdict(handle, sender, allowed)");
  }
  if (!allowed) atomic_fetch_add(&r->refused, 1);
  pthread_mutex_lock(&r->lock);
  verdict_store(r, family, addr, allowed, clock_ns(CLOCK_MONOTONIC) + r->verdict_ttl_ns);
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

/* clearVerdicts(handle): the device registry changed. */
static napi_value responder_clear_verdicts(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  responder_t *r = responder_args(env, info, 1, argv, 0);
  if (r == NULL) return NULL;
  pthread_mutex_lock(&r->lock);
  verdicts_clear(r);
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

static int set_counter(napi_env env, napi_value object, const char *name, atomic_uint_fast64_t *counter) {
  napi_value v;
  return napi_create_double(env, (double)atomic_load(counter), &v) == napi_ok && napi_set_named_property(env, object, name, v) == napi_ok;
}

/* counters(handle) → { requests, ignored, refused, sendErrors, overflow } (also after close). */
static napi_value responder_counters(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  responder_t *r = responder_args(env, info, 1, argv, 1);
  if (r == NULL) return NULL;
  CHECK(napi_create_object(env, &result));
  if (!set_counter(env, result, "requests", &r->requests) || !set_counter(env, result, "ignored", &r->ignored) ||
      !set_counter(env, result, "refused", &r->refused) || !set_counter(env, result, "sendErrors", &r->send_errors) ||
      !set_counter(env, result, "overflow", &r->overflow)) {
    napi_throw_error(env, "ENATIVE", "cannot build counters");
    return NULL;
  }
  return result;
}

/* close(handle): stops and joins the thread, closes the socket. Idempotent. */
static napi_value responder_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  responder_t *r = responder_args(env, info, 1, argv, 1);
  if (r != NULL) stop_responder(r);
  return NULL;
}

/* monotonicNs() → CLOCK_MONOTONIC as a bigint (the loader compares it with process.hrtime). */
static napi_value monotonic_ns(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_bigint_int64(env, clock_ns(CLOCK_MONOTONIC), &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"open", NULL, responder_open, NULL, NULL, NULL, napi_default, NULL},
      {"port", NULL, responder_port, NULL, NULL, NULL, napi_default, NULL},
      {"answer", NULL, responder_answer, NULL, NULL, NULL, napi_default, NULL},
      {"setVerdict", NULL, responder_set_verdict, NULL, NULL, NULL, napi_default, NULL},
      {"clearVerdicts", NULL, responder_clear_verdicts, NULL, NULL, NULL, napi_default, NULL},
      {"counters", NULL, responder_counters, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, responder_close, NULL, NULL, NULL, napi_default, NULL},
      {"monotonicNs", NULL, monotonic_ns, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
