// How the sidecar recognises a device: the subset of its config rules' `match` that fits a table
// row (no per-header rules; those stay in the sidecar's config file).
using System;
using System.Linq;

namespace Jellybridge.Companion.Configuration
{
    /// <summary>
    /// Match criteria. Every non-empty criterion must hold (AND); inside one, any entry suffices.
    /// A row with no criterion matches no request (devices the sidecar reaches out to, e.g. cameras).
    /// </summary>
    public class DeviceMatch
    {
        /// <summary>Gets or sets addresses or CIDR ranges (e.g. <c>192.168.1.20/32</c>).</summary>
        public string[] Cidr { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets a User-Agent substring (case-insensitive) or <c>/regex/flags</c>; empty = any.</summary>
        public string UserAgent { get; set; } = string.Empty;

        /// <summary>Gets or sets TiVo service numbers, exact or a prefix ending in <c>*</c>.</summary>
        public string[] Tsn { get; set; } = Array.Empty<string>();

        /// <summary>Gets or sets protocol keys (camera RTSP URL without credentials, companion address).</summary>
        public string[] Key { get; set; } = Array.Empty<string>();

        /// <summary>Trims entries and drops empty ones.</summary>
        public void Normalize()
        {
            Cidr = Clean(Cidr);
            Tsn = Clean(Tsn);
            Key = Clean(Key);
            UserAgent = (UserAgent ?? string.Empty).Trim();
        }

        private static string[] Clean(string[]? values)
            => (values ?? Array.Empty<string>()).Where(v => v is not null).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }
}
