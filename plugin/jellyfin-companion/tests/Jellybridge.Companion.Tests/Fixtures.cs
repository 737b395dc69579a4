using System;
using System.IO;

namespace Jellybridge.Companion.Tests
{
    /// <summary>Files from tests/fixtures/jellyfin-companion/, copied next to the test assembly.</summary>
    internal static class Fixtures
    {
        public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", name));
    }
}
