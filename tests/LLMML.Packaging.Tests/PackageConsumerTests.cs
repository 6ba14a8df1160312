using System.Xml.Linq;

namespace LLMML.Packaging.Tests;

/// <summary>
/// What a .NET user outside this repository gets from the packages: metadata, the Debian/Ubuntu fix applied by their
/// own build, the runtime check, the data package and the llmml tool. Slow (a pack and two builds): minutes, not seconds.
/// </summary>
public sealed class PackageConsumerTests(PackedRepository packed) : IClassFixture<PackedRepository>
{
    private static readonly string[] Libraries =
        ["LLMML.Foundation", "LLMML.LanguageModels", "LLMML.MLNet", "LLMML.Scoring", "LLMML.Eigenpruning", "LLMML.Complexity",
         "LLMML.ModelOrganisms", "LLMML.Rasp", "LLMML.Rasp.Torch", "LLMML.TracrInjection", "LLMML.Citations", "LLMML.Sweeps", "LLMML.Data"];

    [Fact]
    public void Every_src_project_packs_with_real_metadata()
    {
        packed.PackLog.ExitCode.Should().Be(0, packed.PackLog.ToString());
        foreach (var id in Libraries)
        {
            var meta = Metadata(packed.Nuspec(id));
            meta("id").Should().Be(id);
            meta("version").Should().Be(packed.Version);
            meta("authors").Should().NotBeNullOrWhiteSpace();
            meta("description").Should().NotBeNullOrWhiteSpace().And.NotBe("Package Description", $"{id} needs its own description");
            meta("license").Should().Be("MIT");
            meta("readme").Should().Be("README.md");
            meta("tags").Should().Contain("ml.net");
            packed.Entries(id).Should().Contain("README.md");
        }
    }

    [Fact]
    public void The_libtorch_runtime_is_left_to_the_consumer_and_the_native_fixes_travel_as_buildTransitive()
    {
        foreach (var id in Libraries)
        {
            var dependencies = packed.Nuspec(id).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToArray();
            dependencies.Should().NotContain(d => d.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase) || d.StartsWith("TorchSharp-cuda", StringComparison.OrdinalIgnoreCase),
                $"{id} must not freeze the packing machine's OS into its dependencies");
        }
        packed.Entries("LLMML.LanguageModels").Should().Contain(
        [
            "buildTransitive/LLMML.LanguageModels.props", "buildTransitive/LLMML.LanguageModels.targets",
            "buildTransitive/WeakenElfVersionNeed.cs", "buildTransitive/PatchMklVendorCheck.cs",
        ]);
        packed.Entries("LLMML.Data").Should().Contain(["buildTransitive/LLMML.Data.targets", "data/models/post/model.safetensors", "data/citations/cora.npz", "data/gsm8k/test.jsonl"]);
    }

    [Fact]
    public void A_consumer_app_built_from_the_packages_alone_runs_an_LM_and_a_citations_pipeline()
    {
        var app = Consumer("app", withRuntime: true);
        var build = Build(app);
        build.ExitCode.Should().Be(0, build.ToString());

        var output = Path.Combine(app, "bin", "Release", "net10.0");
        File.Exists(Path.Combine(output, "data", "models", "post", "config.json")).Should().BeTrue("LLMML.Data copies the organisms beside the app");
        var run = PackedRepository.Dotnet(app, null, Path.Combine(output, "Consumer.dll"));
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("LM pipeline: 8 rows").And.Contain("Citations pipeline: 2708 papers");
    }

    [Fact]
    public void The_llmml_tool_installs_from_the_feed_and_runs_an_LM_and_a_citations_command()
    {
        var pointer = packed.Nuspec("llmml").Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string)e.Attribute("name")!);
        pointer.Should().Contain("DotnetTool");
        packed.Entries("llmml.linux-x64").Should().Contain("tools/net10.0/linux-x64/libtorch_cpu.so", "the RID-specific tool package carries its libtorch");

        var tools = Path.Combine(packed.Work, "tools");
        var install = PackedRepository.Dotnet(packed.Work, null, "tool", "install", "llmml", "--version", packed.Version, "--tool-path", tools, "--add-source", packed.Feed);
        install.ExitCode.Should().Be(0, install.ToString());
        var llmml = Path.Combine(tools, "llmml");

        // Run from a folder outside the repository, on the repository's data given by path, as a user would.
        var data = Path.Combine(packed.RepositoryRoot, "data");
        var eval = PackedRepository.Run(llmml, packed.Work, null, "eval", "--model", Path.Combine(data, "models", "post"), "--task", "int-mult", "--limit", "8", "--json");
        eval.ExitCode.Should().Be(0, eval.ToString());
        eval.Output.Should().Contain("\"exactMatchAccuracy\"");

        var features = Path.Combine(packed.Work, "cora-features.csv");
        var citations = PackedRepository.Run(llmml, packed.Work, null, "citations", "features", "--input", Path.Combine(data, "citations", "cora.cites"), "--format", "cora", "--out", features);
        citations.ExitCode.Should().Be(0, citations.ToString());
        File.ReadLines(features).Count().Should().Be(2708 + 1, "one row per Cora paper and a header");
    }

    [Fact]
    public void A_consumer_app_without_a_libtorch_runtime_fails_its_build_naming_the_package_for_its_os()
    {
        var app = Consumer("no-runtime", withRuntime: false);
        var build = Build(app);
        build.ExitCode.Should().NotBe(0);
        build.Output.Should().Contain("LLMML001").And.Contain("dotnet add package libtorch-cpu-");
    }

    private string Consumer(string name, bool withRuntime)
    {
        var dir = Path.Combine(packed.Work, name);
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "Program.cs"), Path.Combine(dir, "Program.cs"));
        var runtime = withRuntime ? "\n    <PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" />" : "";
        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="LLMML.Scoring" Version="{packed.Version}" />
                <PackageReference Include="LLMML.Citations" Version="{packed.Version}" />
                <PackageReference Include="LLMML.Data" Version="{packed.Version}" />{runtime}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="llmml-local" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        return dir;
    }

    // LLMML's packages restore into the run's own folder; TorchSharp, libtorch and ML.NET come read-only from the
    // packages the solution already restored (a fallback folder), so nothing is downloaded twice or cached for good.
    private ProcessResult Build(string app) =>
        PackedRepository.Dotnet(app, null, "build", "-c", "Release",
            $"-p:RestorePackagesPath={Path.Combine(packed.Work, "packages")}", $"-p:RestoreFallbackFolders={PackedRepository.GlobalPackages}");

    private static Func<string, string?> Metadata(XDocument nuspec)
    {
        var metadata = nuspec.Descendants().First(e => e.Name.LocalName == "metadata");
        return name => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
    }
}
