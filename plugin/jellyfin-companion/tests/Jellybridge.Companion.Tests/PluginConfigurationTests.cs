using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Serialization;
using Jellybridge.Companion.Configuration;
using Xunit;

namespace Jellybridge.Companion.Tests
{
    public class PluginConfigurationTests
    {
        private static PluginConfiguration FromFixture()
            => JsonSerializer.Deserialize<PluginConfiguration>(Fixtures.Read("configuration.json"), JellyfinJson.Options)!;

        private static string ToXml(PluginConfiguration config)
        {
            var serializer = new XmlSerializer(typeof(PluginConfiguration));
            using var writer = new StringWriter();
            serializer.Serialize(writer, config);
            return writer.ToString();
        }

        private static PluginConfiguration FromXml(string xml)
        {
            var serializer = new XmlSerializer(typeof(PluginConfiguration));
            using var reader = new StringReader(xml);
            return (PluginConfiguration)serializer.Deserialize(reader)!;
        }

        [Fact]
        public void A_new_configuration_has_a_sidecar_url_and_empty_tables_rather_than_nulls()
        {
            var config = new PluginConfiguration();
            Assert.Equal("http://127.0.0.1:8097", config.SidecarUrl);
            Assert.Equal(string.Empty, config.AdminUrl);
            Assert.Empty(config.Devices);
            Assert.Empty(config.KnownAdapters);
            var json = JsonNode.Parse(JsonSerializer.Serialize(config, JellyfinJson.Options))!.AsObject();
            Assert.Equal(new[] { "SidecarUrl", "AdminUrl", "KnownAdapters", "Devices" }, json.Select(p => p.Key).ToArray());
            Assert.Empty(json["Devices"]!.AsArray());
        }

        [Fact]
        public void Reads_the_shared_fixture_the_sidecar_writes()
        {
            var config = FromFixture();
            Assert.Equal("http://192.168.1.10:8097", config.SidecarUrl);
            Assert.Equal(new[] { "tivo", "wii", "rsstv", "camera", "dvbcss" }, config.KnownAdapters);
            Assert.Equal(2, config.Devices.Length);
            var tivo = config.Devices[0];
            Assert.Equal("living-room-tivo", tivo.Id);
            Assert.Equal(new[] { "192.168.1.20/32" }, tivo.Match.Cidr);
            Assert.Equal(new[] { "6520001802A1B2C" }, tivo.Match.Tsn);
            Assert.True(tivo.IsEnabled("tivo"));
            Assert.False(tivo.IsEnabled("wii"));
            Assert.False(config.Devices[1].Approved);
            Assert.Equal("Nintendo Wii", config.Devices[1].Match.UserAgent);
        }

        [Fact]
        public void Writes_json_equal_to_the_shared_fixture_so_a_read_modify_write_loses_nothing()
        {
            var written = JsonNode.Parse(JsonSerializer.Serialize(FromFixture(), JellyfinJson.Options));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixtures.Read("configuration.json")), written), written!.ToJsonString());
        }

        [Fact]
        public void Ignores_camel_case_keys_because_jellyfin_reads_plugin_configuration_case_sensitively()
        {
            var config = JsonSerializer.Deserialize<PluginConfiguration>("{\"sidecarUrl\":\"http://10.0.0.1:1\",\"Devices\":[]}", JellyfinJson.Options)!;
            Assert.Equal("http://127.0.0.1:8097", config.SidecarUrl);
        }

        [Fact]
        public void Survives_jellyfins_xml_persistence_unchanged()
        {
            var original = FromFixture();
            var reloaded = FromXml(ToXml(original));
            Assert.Equal(JsonSerializer.Serialize(original, JellyfinJson.Options), JsonSerializer.Serialize(reloaded, JellyfinJson.Options));
        }

        [Fact]
        public void Does_not_duplicate_rows_when_the_xml_is_loaded_again()
        {
            var xml = ToXml(FromFixture());
            var twice = FromXml(ToXml(FromXml(xml)));
            Assert.Equal(2, twice.Devices.Length);
            Assert.Single(twice.Devices[0].EnabledAdapters);
        }

        [Fact]
        public void Loads_an_xml_file_written_before_a_field_existed_with_that_fields_default()
        {
            const string Old = "<?xml version=\"1.0\"?><PluginConfiguration><SidecarUrl>http://10.0.0.5:8097</SidecarUrl></PluginConfiguration>";
            var config = FromXml(Old);
            Assert.Equal("http://10.0.0.5:8097", config.SidecarUrl);
            Assert.Empty(config.Devices);
            Assert.Equal(string.Empty, config.AdminUrl);
        }

        [Fact]
        public void Normalize_trims_lower_cases_and_drops_empty_and_duplicate_rows()
        {
            var config = new PluginConfiguration
            {
                SidecarUrl = "  http://10.0.0.5:8097/ ",
                KnownAdapters = new[] { "TiVo", "tivo", " wii ", "" },
                Devices = new[]
                {
                    new DeviceEntry { Id = " Den-TiVo ", Name = " Den ", EnabledAdapters = new[] { "TIVO", "tivo" }, Match = new DeviceMatch { Cidr = new[] { " 10.0.0.9 ", "" } } },
                    new DeviceEntry { Id = "den-tivo", Name = "second row with the same id" },
                    new DeviceEntry { Id = "   " },
                },
            };
            config.Normalize();
            Assert.Equal("http://10.0.0.5:8097", config.SidecarUrl);
            Assert.Equal(new[] { "tivo", "wii" }, config.KnownAdapters);
            var device = Assert.Single(config.Devices);
            Assert.Equal("den-tivo", device.Id);
            Assert.Equal("Den", device.Name);
            Assert.Equal(new[] { "tivo" }, device.EnabledAdapters);
            Assert.Equal(new[] { "10.0.0.9" }, device.Match.Cidr);
            var once = JsonSerializer.Serialize(config, JellyfinJson.Options);
            config.Normalize();
            Assert.Equal(once, JsonSerializer.Serialize(config, JellyfinJson.Options));
        }

        [Fact]
        public void Normalize_replaces_nulls_that_a_partial_json_body_leaves()
        {
            var config = JsonSerializer.Deserialize<PluginConfiguration>("{\"SidecarUrl\":null,\"Devices\":[{\"Id\":\"a\",\"Match\":null,\"EnabledAdapters\":null}]}", JellyfinJson.Options)!;
            config.Normalize();
            Assert.Equal(string.Empty, config.SidecarUrl);
            Assert.Empty(config.Devices[0].EnabledAdapters);
            Assert.Empty(config.Devices[0].Match.Cidr);
        }
    }
}
