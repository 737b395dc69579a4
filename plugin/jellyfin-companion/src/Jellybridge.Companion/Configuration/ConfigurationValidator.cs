// Checks a configuration before the page saves it, so the admin sees mistakes in Jellyfin rather
// than as warnings in the sidecar's log. The sidecar re-checks everything it reads.
using System;
using System.Collections.Generic;
using System.Net;
using System.Text.RegularExpressions;

namespace Jellybridge.Companion.Configuration
{
    /// <summary>Validation of <see cref="PluginConfiguration"/>; each problem names its field.</summary>
    public static class ConfigurationValidator
    {
        private static readonly Regex KebabId = new("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

        /// <summary>Lists every problem; empty when the configuration is usable.</summary>
        /// <param name="config">A configuration (normalize it first to ignore spacing and case).</param>
        /// <returns>Messages such as <c>Devices[0].Id: expected kebab-case</c>.</returns>
        public static IReadOnlyList<string> Validate(PluginConfiguration config)
        {
            ArgumentNullException.ThrowIfNull(config);
            var problems = new List<string>();
            if (!IsHttpUrl(config.SidecarUrl))
            {
                problems.Add("SidecarUrl: expected an http(s) URL");
            }

            if (config.AdminUrl.Length > 0 && !IsHttpUrl(config.AdminUrl))
            {
                problems.Add("AdminUrl: expected an http(s) URL or nothing");
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < config.Devices.Length; i++)
            {
                var device = config.Devices[i];
                var at = $"Devices[{i}]";
                if (!KebabId.IsMatch(device.Id))
                {
                    problems.Add($"{at}.Id: expected kebab-case (a-z, 0-9, -)");
                }
                else if (!ids.Add(device.Id))
                {
                    problems.Add($"{at}.Id: duplicate id \"{device.Id}\"");
                }

                foreach (var adapter in device.EnabledAdapters)
                {
                    if (!KebabId.IsMatch(adapter))
                    {
                        problems.Add($"{at}.EnabledAdapters: \"{adapter}\" is not an adapter id");
                    }
                    else if (config.KnownAdapters.Length > 0 && Array.IndexOf(config.KnownAdapters, adapter) < 0)
                    {
                        problems.Add($"{at}.EnabledAdapters: the sidecar has no adapter \"{adapter}\"");
                    }
                }

                foreach (var cidr in device.Match.Cidr)
                {
                    if (!IPNetwork.TryParse(cidr, out _) && !IPAddress.TryParse(cidr, out _))
                    {
                        problems.Add($"{at}.Match.Cidr: \"{cidr}\" is not an address or CIDR range");
                    }
                }
            }

            return problems;
        }

        private static bool IsHttpUrl(string text)
            => Uri.TryCreate(text, UriKind.Absolute, out var uri)
               && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
               && string.IsNullOrEmpty(uri.UserInfo);
    }
}
