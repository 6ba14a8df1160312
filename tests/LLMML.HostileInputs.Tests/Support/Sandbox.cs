using System.Security.Cryptography;

namespace LLMML.HostileInputs.Tests.Support;

/// <summary>
/// A temporary directory with a fingerprint of every file under it, so a test can assert that inputs stayed
/// byte-identical and that nothing was written outside the one output path it allowed.
/// </summary>
public sealed class Sandbox : IDisposable
{
    public Sandbox() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "llmml-hostile-" + Guid.NewGuid().ToString("N"));

    public string At(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Relative path → SHA-256 of every file (and "dir" for every directory) under the root.</summary>
    public Dictionary<string, string> Fingerprint()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(Root, entry.FullName);
            result[key] = entry is FileInfo f && entry.LinkTarget is null ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f.FullName))) : "dir-or-link";
        }
        return result;
    }

    /// <summary>Asserts the tree equals <paramref name="before"/> except under the <paramref name="allowed"/> relative paths.</summary>
    public void ShouldBeUnchangedExcept(Dictionary<string, string> before, params string[] allowed)
    {
        bool Allowed(string key) => allowed.Any(a => key == a || key.StartsWith(a + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        var after = Fingerprint();
        after.Where(kv => !Allowed(kv.Key)).Should().BeEquivalentTo(before.Where(kv => !Allowed(kv.Key)),
            "inputs must stay byte-identical and nothing may be written outside the output path");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
