namespace LLMML.MLNet.Tasks;

/// <summary>
/// Finds the <c>data/</c> folders LLMML ships: in the repository, or beside an application's output when it references
/// the LLMML.Data package.
/// </summary>
public static class TaskData
{
    /// <summary>Environment variable naming the <c>data</c> folder explicitly.</summary>
    public const string DataDirectoryVariable = "LLMML_DATA_DIR";

    /// <summary>
    /// The folder <c>data/{name}</c> holding <paramref name="probeFile"/>: under $LLMML_DATA_DIR if set, else the first
    /// <c>data/{name}</c> found walking up from the current directory and from the application's directory.
    /// </summary>
    public static string FindDirectory(string name, string probeFile)
    {
        var tried = new List<string>();
        var env = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        if (!string.IsNullOrEmpty(env))
        {
            var candidate = Path.Combine(env, name);
            if (File.Exists(Path.Combine(candidate, probeFile))) return candidate;
            tried.Add(candidate);
        }
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", name);
                if (File.Exists(Path.Combine(candidate, probeFile))) return candidate;
            }
            tried.Add($"data/{name} above {start}");
        }
        throw new DirectoryNotFoundException(
            $"Could not find data/{name}/{probeFile} (looked in: {string.Join("; ", tried)}). Run from the repository, reference the LLMML.Data package, or set {DataDirectoryVariable}.");
    }

    /// <summary>
    /// A shipped model organism's checkpoint directory (<c>data/models/{name}</c>: random, base, post, competing,
    /// competing-p0, competing-p70), found as <see cref="FindDirectory"/> finds data.
    /// </summary>
    public static string Organism(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            throw new ArgumentException($"Organism name '{name}' must be a plain name such as \"post\", not a path.", nameof(name));
        return FindDirectory(Path.Combine("models", name), "config.json");
    }
}
