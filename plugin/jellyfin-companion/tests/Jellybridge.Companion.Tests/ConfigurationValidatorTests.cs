using System;
using System.Linq;
using System.Text.Json;
using Jellybridge.Companion.Configuration;
using Xunit;

namespace Jellybridge.Companion.Tests
{
    public class ConfigurationValidatorTests
    {
        [Fact]
        public void Accepts_the_shared_fixture()
        {
            var config = JsonSerializer.Deserialize<PluginConfiguration>(Fixtures.Read("configuration.json"), JellyfinJson.Options)!;
            Assert.Empty(ConfigurationValidator.Validate(config));
        }

        [Fact]
        public void Names_the_field_of_every_problem()
        {
            var config = new PluginConfiguration
            {
                SidecarUrl = "ftp://example",
                AdminUrl = "http://user:pw@127.0.0.1:8098",
                KnownAdapters = new[] { "tivo", "wii" },
                Devices = new[]
                {
                    new DeviceEntry { Id = "Not Kebab" },
                    new DeviceEntry { Id = "den", EnabledAdapters = new[] { "dlna" }, Match = new DeviceMatch { Cidr = new[] { "10.0.0.300/8" } } },
                    new DeviceEntry { Id = "den" },
                },
            };
            var problems = ConfigurationValidator.Validate(config);
            Assert.Equal(
                new[]
                {
                    "SidecarUrl: expected an http(s) URL",
                    "AdminUrl: expected an http(s) URL or nothing",
                    "Devices[0].Id: expected kebab-case (a-z, 0-9, -)",
                    "Devices[1].EnabledAdapters: the sidecar has no adapter \"dlna\"",
                    "Devices[1].Match.Cidr: \"10.0.0.300/8\" is not an address or CIDR range",
                    "Devices[2].Id: duplicate id \"den\"",
                },
                problems.ToArray());
        }

        [Fact]
        public void Accepts_any_adapter_id_before_the_sidecar_has_published_its_list()
        {
            var config = new PluginConfiguration { Devices = new[] { new DeviceEntry { Id = "den", EnabledAdapters = new[] { "tivo" }, Match = new DeviceMatch { Cidr = new[] { "10.0.0.7", "fd00::/8" } } } } };
            Assert.Empty(ConfigurationValidator.Validate(config));
        }

        [Fact]
        public void Rejects_a_null_configuration()
        {
            Assert.Throws<ArgumentNullException>(() => ConfigurationValidator.Validate(null!));
        }
    }
}
