using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Jellybridge.Companion.Sidecar;
using Xunit;

namespace Jellybridge.Companion.Tests
{
    public sealed class SidecarHealthProbeTests : IDisposable
    {
        private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(5) };

        public void Dispose() => _client.Dispose();

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        /// <summary>A real HTTP server on 127.0.0.1 answering one request with <paramref name="status"/> and <paramref name="body"/>.</summary>
        private static (string Url, Task Served, HttpListener Listener) Serve(int status, string body)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            var served = Task.Run(async () =>
            {
                var context = await listener.GetContextAsync();
                Assert.Equal("/health", context.Request.Url!.AbsolutePath);
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            });
            return ($"http://127.0.0.1:{port}/", served, listener);
        }

        [Fact]
        public async Task Shows_the_sidecars_status_version_and_ready_adapters()
        {
            var (url, served, listener) = Serve(200, "{\"status\":\"degraded\",\"version\":\"0.1.0\",\"adapters\":{\"tivo\":{\"state\":\"ready\"},\"wii\":{\"state\":\"failed\"}}}");
            using (listener)
            {
                var badge = await new SidecarHealthProbe(_client).ProbeAsync(url, CancellationToken.None);
                await served;
                Assert.Equal(new HealthBadge("degraded", "1 of 2 adapters ready", "0.1.0"), badge);
            }
        }

        [Fact]
        public async Task Reports_an_http_error_as_a_bad_response()
        {
            var (url, served, listener) = Serve(500, "oops");
            using (listener)
            {
                var badge = await new SidecarHealthProbe(_client).ProbeAsync(url, CancellationToken.None);
                await served;
                Assert.Equal("bad-response", badge.State);
                Assert.Equal("the sidecar answered HTTP 500", badge.Detail);
            }
        }

        [Fact]
        public async Task Reports_a_closed_port_as_unreachable()
        {
            var badge = await new SidecarHealthProbe(_client).ProbeAsync($"http://127.0.0.1:{FreePort()}", CancellationToken.None);
            Assert.Equal("unreachable", badge.State);
            Assert.StartsWith("cannot reach http://127.0.0.1:", badge.Detail, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("")]
        [InlineData("not a url")]
        [InlineData("file:///etc/passwd")]
        public async Task Asks_for_a_url_when_none_is_usable(string url)
        {
            var badge = await new SidecarHealthProbe(_client).ProbeAsync(url, CancellationToken.None);
            Assert.Equal("not-configured", badge.State);
        }

        [Theory]
        [InlineData("<html>sign in</html>", "the answer is not JSON")]
        [InlineData("{\"Status\":\"ready\"}", "the answer is not a Jellybridge health report")]
        [InlineData("{\"status\":\"melting\"}", "unknown status \"melting\"")]
        public void Refuses_answers_that_are_not_a_jellybridge_health_report(string body, string detail)
        {
            Assert.Equal(new HealthBadge("bad-response", detail, null), SidecarHealthProbe.Parse(body));
        }
    }
}
