// The companion plugin's configuration: what the Jellyfin dashboard edits, what Jellyfin persists
// as XML (XmlSerializer) and what the sidecar reads and writes as JSON through
// GET/POST /Plugins/{id}/Configuration. Plain data, no behaviour beyond Normalize().
//
// This file is compiled twice: into the plugin (JELLYBRIDGE_JELLYFIN defined, deriving from
// Jellyfin's BasePluginConfiguration) and into Jellybridge.Companion.Core without Jellyfin, which
// is what the xunit tests exercise. BasePluginConfiguration has no members, so both are the same
// shape on the wire.
using System;
using System.Collections.Generic;
using System.Linq;
#if JELLYBRIDGE_JELLYFIN
using MediaBrowser.Model.Plugins;
#endif

namespace Jellybridge.Companion.Configuration
{
    /// <summary>
    /// Jellybridge companion settings. Arrays rather than lists: XmlSerializer appends to a list
    /// that the constructor already filled, which would duplicate entries on every load.
    /// </summary>
    public class PluginConfiguration
#if JELLYBRIDGE_JELLYFIN
        : BasePluginConfiguration
#endif
    {
        /// <summary>Gets or sets the sidecar's device-facing URL (its /health answers there).</summary>
        public string SidecarUrl { get; set; } = "http://127.0.0.1:8097";

        /// <summary>Gets or sets the sidecar's admin UI URL (a separate listener, loopback by default); empty = unknown.</summary>
        public string AdminUrl { get; set; } = string.Empty;

        /// <summary>Gets or sets the adapter ids the sidecar offers (written by the sidecar; the page shows one column each).</summary>
        public string[] KnownAdapters { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets the per-device adapter table.</summary>
        public DeviceEntry[] Devices { get; set; } = Array.Empty<DeviceEntry>();

        /// <summary>
        /// Trims text, lower-cases ids, drops rows without an id, keeps the first row of a
        /// duplicated id, and de-duplicates adapter lists. Idempotent.
        /// </summary>
        public void Normalize()
        {
            SidecarUrl = (SidecarUrl ?? string.Empty).Trim().TrimEnd('/');
            AdminUrl = (AdminUrl ?? string.Empty).Trim().TrimEnd('/');
            KnownAdapters = NormalizeIds(KnownAdapters);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var devices = new List<DeviceEntry>();
            foreach (var device in Devices ?? Array.Empty<DeviceEntry>())
            {
                if (device is null)
                {
                    continue;
                }

                device.Normalize();
                if (device.Id.Length == 0 || !seen.Add(device.Id))
                {
                    continue;
                }

                devices.Add(device);
            }

            Devices = devices.ToArray();
        }

        internal static string[] NormalizeIds(IEnumerable<string>? ids)
            => (ids ?? Array.Empty<string>())
                .Where(id => id is not null)
                .Select(id => id.Trim().ToLowerInvariant())
                .Where(id => id.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
    }
}
