namespace LLMML.MLNet.Tasks;

/// <summary>Finds the repository's <c>data/</c> folders for tasks read from files.</summary>
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
            $"Could not find data/{name}/{probeFile} (looked in: {string.Join("; ", tried)}). Run from the repository or set {DataDirectoryVariable}.");
    }
}
