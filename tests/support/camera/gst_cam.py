#!/usr/bin/python3
# A test RTSP camera (camera.md §4.1): gst_cam.py PORT MOUNT LAUNCH [USER PASSWORD].
# Serves LAUNCH (a gst-launch description whose payloaders are named pay0, pay1, ...) on
# rtsp://127.0.0.1:PORT/MOUNT; with USER and PASSWORD it requires Basic/Digest credentials.
import sys
import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
port, mount, launch = sys.argv[1], sys.argv[2], sys.argv[3]
server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch('( ' + launch + ' )')
factory.set_shared(True)
if len(sys.argv) >= 6:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'user')
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(sys.argv[4], sys.argv[5]), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role('user', GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    permissions.add_permission_for_role('user', GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(permissions)
server.get_mount_points().add_factory(mount, factory)
server.attach(None)
print('ready', flush=True)
GLib.MainLoop().run()
