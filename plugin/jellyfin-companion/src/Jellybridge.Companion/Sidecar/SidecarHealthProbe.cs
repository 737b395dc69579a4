// Fetches the sidecar's GET /health server-side (the browser may not reach the sidecar, and the
// sidecar's allow-list may refuse it) and reduces it to a badge. No other logic lives in C#.
using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Jellybridge.Companion.Sidecar
{
    /// <summary>Asks a sidecar for its health.</summary>
    public sealed class SidecarHealthProbe
    {
        private static readonly string[] KnownStates = { "ready", "degraded", "starting", "stopping" };
        private readonly HttpClient _client;

        /// <summary>Initializes a new instance of the <see cref="SidecarHealthProbe"/> class.</summary>
        /// <param name="client">A client with a short timeout (the plugin uses IHttpClientFactory).</param>
        public SidecarHealthProbe(HttpClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <summary>GET {sidecarUrl}/health and map the answer to a badge; never throws for network errors.</summary>
        /// <param name="sidecarUrl">The configured sidecar URL.</param>
        /// <param name="cancellationToken">Cancels the request.</param>
        /// <returns>The badge.</returns>
        public async Task<HealthBadge> ProbeAsync(string sidecarUrl, CancellationToken cancellationToken)
        {
            if (!Uri.TryCreate((sidecarUrl ?? string.Empty).Trim().TrimEnd('/') + "/health", UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                return new HealthBadge("not-configured", "set the sidecar URL (http://host:port)", null);
            }

            string body;
            try
            {
                using var response = await _client.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return new HealthBadge("bad-response", $"the sidecar answered HTTP {(int)response.StatusCode}", null);
                }

                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException error)
            {
                return new HealthBadge("unreachable", $"cannot reach {url.GetLeftPart(UriPartial.Authority)}: {error.Message}", null);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new HealthBadge("unreachable", $"no answer from {url.GetLeftPart(UriPartial.Authority)} in time", null);
            }

            return Parse(body);
        }

        /// <summary>Maps a /health body (<c>{"status":…,"version":…,"adapters":{…}}</c>) to a badge.</summary>
        /// <param name="body">The response text.</param>
        /// <returns>The badge; <c>bad-response</c> when the body is not the sidecar's.</returns>
        public static HealthBadge Parse(string body)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("status", out var statusElement)
                    || statusElement.ValueKind != JsonValueKind.String)
                {
                    return new HealthBadge("bad-response", "the answer is not a Jellybridge health report", null);
                }

                var status = statusElement.GetString() ?? string.Empty;
                if (Array.IndexOf(KnownStates, status) < 0)
                {
                    return new HealthBadge("bad-response", $"unknown status \"{status}\"", null);
                }

                var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var total = 0;
                var ready = 0;
                if (root.TryGetProperty("adapters", out var adapters) && adapters.ValueKind == JsonValueKind.Object)
                {
                    foreach (var adapter in adapters.EnumerateObject())
                    {
                        total++;
                        if (adapter.Value.ValueKind == JsonValueKind.Object
                            && adapter.Value.TryGetProperty("state", out var state)
                            && state.ValueKind == JsonValueKind.String
                            && state.GetString() == "ready")
                        {
                            ready++;
                        }
                    }
                }

                return new HealthBadge(status, $"{ready} of {total} adapters ready", version);
            }
            catch (JsonException)
            {
                return new HealthBadge("bad-response", "the answer is not JSON", null);
            }
        }
    }
}
