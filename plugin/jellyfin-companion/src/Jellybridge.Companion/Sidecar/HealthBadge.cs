// What the dashboard's health badge shows; the controller returns it as JSON.
namespace Jellybridge.Companion.Sidecar
{
    /// <summary>The sidecar's state as one badge.</summary>
    /// <param name="State"><c>ready</c>, <c>degraded</c>, <c>starting</c>, <c>stopping</c> (from the sidecar), or <c>unreachable</c>, <c>bad-response</c>, <c>not-configured</c>.</param>
    /// <param name="Detail">One line for humans.</param>
    /// <param name="Version">The sidecar's version when it answered.</param>
    public sealed record HealthBadge(string State, string Detail, string? Version);
}
