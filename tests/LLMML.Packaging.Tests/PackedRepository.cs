using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;

namespace LLMML.Packaging.Tests;

/// <summary>
/// Packs every src project of a copy of the repository into a local folder feed, once per test run. The copy keeps
/// the pack's bin/ and obj/ away from the solution's own build; the pre-release version is unique per run, so no
/// package cached by an earlier run is ever restored instead of the one just packed.
/// </summary>
public sealed class PackedRepository : IDisposable
{
    public PackedRepository()
    {
        RepositoryRoot = FindRepositoryRoot();
        Work = Directory.CreateTempSubdirectory("llmml-consumer-").FullName;
        Feed = Path.Combine(Work, "feed");
        Version = $"0.0.0-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var copy = Path.Combine(Work, "repo");
        foreach (var dir in new[] { "src", "build", "data", "bench", "examples/CitationClassification" })
            CopyTree(Path.Combine(RepositoryRoot, dir), Path.Combine(copy, dir));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "README.md", "LICENSE", ".editorconfig" })
            File.Copy(Path.Combine(RepositoryRoot, file), Path.Combine(copy, file));
        var projects = Directory.GetFiles(Path.Combine(copy, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        var slnx = new XElement("Solution", projects.Select(p => new XElement("Project", new XAttribute("Path", Path.GetRelativePath(copy, p)))));
        File.WriteAllText(Path.Combine(copy, "packages.slnx"), slnx.ToString());
        PackLog = Dotnet(copy, null, "pack", "packages.slnx", "-c", "Release", "-o", Feed, $"-p:Version={Version}");
    }

    public string RepositoryRoot { get; }

    /// <summary>A scratch directory outside the repository for feeds, consumers and tools.</summary>
    public string Work { get; }

    public string Feed { get; }

    public string Version { get; }

    public ProcessResult PackLog { get; }

    /// <summary>The global packages folder the solution restored into: consumers read TorchSharp and ML.NET from it.</summary>
    public static string GlobalPackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public XDocument Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    public IReadOnlyList<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        return zip.Entries.Select(e => e.FullName).ToArray();
    }

    /// <summary>Runs the dotnet CLI with none of the test host's MSBuild variables, as a user's shell would.</summary>
    public static ProcessResult Dotnet(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", workingDirectory, environment, args);

    public static ProcessResult Run(string fileName, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToArray())
            start.Environment.Remove(key);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(45)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within 45 minutes.");
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.ToString(), $"{Path.GetFileName(fileName)} {string.Join(' ', args)}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Work, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LLMML.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"LLMML.sln not found above {AppContext.BaseDirectory}.");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj") continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }
}

public sealed record ProcessResult(int ExitCode, string Output, string Command)
{
    public override string ToString() => $"`{Command}` exited {ExitCode}:\n{Output}";
}
