{
  "targets": [
    {
      "target_name": "wallclock_responder",
      "sources": ["src/wallclock_responder.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-std=gnu11"],
      "libraries": ["-lpthread"]
    }
  ]
}
