// GET /Jellybridge/Health: the dashboard page's health badge. The request to the sidecar is made
// by the server (the admin's browser may not reach the sidecar); the answer is only reduced to a
// badge by SidecarHealthProbe. UNBUILT (README "Build status").
using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Jellybridge.Companion.Sidecar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Jellybridge.Companion.Api
{
    /// <summary>The sidecar's status for administrators.</summary>
    [ApiController]
    [Route("Jellybridge")]
    [Authorize(Policy = "RequiresElevation")]
    public class SidecarStatusController : ControllerBase
    {
        private readonly IHttpClientFactory _httpClientFactory;

        /// <summary>Initializes a new instance of the <see cref="SidecarStatusController"/> class.</summary>
        /// <param name="httpClientFactory">Jellyfin's client factory.</param>
        public SidecarStatusController(IHttpClientFactory httpClientFactory)
        {
            _httpClientFactory = httpClientFactory;
        }

        /// <summary>Asks the configured sidecar for its health.</summary>
        /// <param name="cancellationToken">Request aborted.</param>
        /// <returns>The badge: state, one line of detail, the sidecar's version.</returns>
        [HttpGet("Health")]
        [ProducesResponseType(StatusCodes.Status200OK)]
        public async Task<ActionResult<HealthBadge>> GetHealth(CancellationToken cancellationToken)
        {
            var url = Plugin.Instance?.Configuration.SidecarUrl ?? string.Empty;
            using var client = _httpClientFactory.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(5);
            return await new SidecarHealthProbe(client).ProbeAsync(url, cancellationToken).ConfigureAwait(false);
        }
    }
}
