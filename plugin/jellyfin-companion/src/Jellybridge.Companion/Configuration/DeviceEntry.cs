// One row of the per-device adapter table (see PluginConfiguration.cs for how it travels).
using System;
using System.Linq;

namespace Jellybridge.Companion.Configuration
{
    /// <summary>
    /// A device and the adapters it may use. The sidecar turns each row into a device rule (its
    /// config file's <c>devices[]</c> shape): same id = same device as a config-file rule.
    /// </summary>
    public class DeviceEntry
    {
        /// <summary>Gets or sets the device id (kebab-case; shared with the sidecar's device registry).</summary>
        public string Id { get; set; } = string.Empty;

        /// <summary>Gets or sets the display name; empty = keep the sidecar's.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>Gets or sets how the sidecar recognises the device.</summary>
        public DeviceMatch Match { get; set; } = new DeviceMatch();

        /// <summary>Gets or sets the Jellyfin user the device browses as; empty = the sidecar's default user.</summary>
        public string UserId { get; set; } = string.Empty;

        /// <summary>Gets or sets the adapter ids enabled for this device (absent = off).</summary>
        public string[] EnabledAdapters { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets a value indicating whether matching devices are approved without asking.</summary>
        public bool Approved { get; set; } = true;

        /// <summary>Trims text, lower-cases the id and adapter ids, drops empty match entries.</summary>
        public void Normalize()
        {
            Id = (Id ?? string.Empty).Trim().ToLowerInvariant();
            Name = (Name ?? string.Empty).Trim();
            UserId = (UserId ?? string.Empty).Trim();
            EnabledAdapters = PluginConfiguration.NormalizeIds(EnabledAdapters);
            Match ??= new DeviceMatch();
            Match.Normalize();
        }

        /// <summary>Whether <paramref name="adapterId"/> is enabled for this device.</summary>
        /// <param name="adapterId">An adapter id such as <c>tivo</c>.</param>
        /// <returns>True when listed in <see cref="EnabledAdapters"/>.</returns>
        public bool IsEnabled(string adapterId)
            => EnabledAdapters.Contains(adapterId, StringComparer.OrdinalIgnoreCase);
    }
}
