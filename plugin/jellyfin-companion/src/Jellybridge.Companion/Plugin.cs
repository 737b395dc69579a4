// The plugin entry point Jellyfin looks for: a BasePlugin<TConfiguration> with a dashboard page.
// UNBUILT (README "Build status"): written against the 10.11 API as read in the server source
// (MediaBrowser.Common.Plugins.BasePlugin<T>, MediaBrowser.Model.Plugins.IHasWebPages).
using System;
using System.Collections.Generic;
using Jellybridge.Companion.Configuration;
using MediaBrowser.Common.Configuration;
using MediaBrowser.Common.Plugins;
using MediaBrowser.Model.Plugins;
using MediaBrowser.Model.Serialization;

namespace Jellybridge.Companion
{
    /// <summary>The Jellybridge companion: settings page and the per-device table; no business logic.</summary>
    public class Plugin : BasePlugin<PluginConfiguration>, IHasWebPages
    {
        /// <summary>The catalog GUID; equal to PLUGIN_GUID in plugin/catalog/manifest.ts. Never change it.</summary>
        public const string PluginGuid = "80cd33d7-3477-40fc-bbdc-03807fafbc32";

        /// <summary>Initializes a new instance of the <see cref="Plugin"/> class.</summary>
        /// <param name="applicationPaths">Jellyfin's paths (where the configuration XML lives).</param>
        /// <param name="xmlSerializer">Jellyfin's XML serializer for the configuration.</param>
        public Plugin(IApplicationPaths applicationPaths, IXmlSerializer xmlSerializer)
            : base(applicationPaths, xmlSerializer)
        {
            Instance = this;
        }

        /// <summary>Gets the running instance (the controller reads the sidecar URL from it).</summary>
        public static Plugin? Instance { get; private set; }

        /// <inheritdoc />
        public override string Name => "Jellybridge";

        /// <inheritdoc />
        public override Guid Id => Guid.Parse(PluginGuid);

        /// <inheritdoc />
        public override string Description => "Companion for the Jellybridge sidecar: its status, its admin UI and which adapters each device may use.";

        /// <inheritdoc />
        public override void UpdateConfiguration(BasePluginConfiguration configuration)
        {
            // The page and the sidecar both write here; tidy spacing and case once, centrally.
            if (configuration is PluginConfiguration config)
            {
                config.Normalize();
            }

            base.UpdateConfiguration(configuration);
        }

        /// <inheritdoc />
        public IEnumerable<PluginPageInfo> GetPages()
        {
            return new[]
            {
                new PluginPageInfo
                {
                    Name = Name,
                    EmbeddedResourcePath = GetType().Namespace + ".Web.configPage.html",
                },
            };
        }
    }
}
