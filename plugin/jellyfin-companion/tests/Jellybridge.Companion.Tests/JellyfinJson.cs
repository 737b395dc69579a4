// Jellyfin's JSON options for plugin configuration (Jellyfin.Extensions JsonDefaults.Options,
// 10.11): no naming policy (PascalCase), case-sensitive reading, nulls omitted, enums as strings.
// POST /Plugins/{id}/Configuration deserializes the body with exactly these.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jellybridge.Companion.Tests
{
    internal static class JellyfinJson
    {
        public static readonly JsonSerializerOptions Options = new()
        {
            ReadCommentHandling = JsonCommentHandling.Disallow,
            WriteIndented = false,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            Converters = { new JsonStringEnumConverter() },
        };
    }
}
