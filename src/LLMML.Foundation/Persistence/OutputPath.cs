namespace LLMML.Foundation.Persistence;

/// <summary>
/// The one guard every command runs on its output paths before any work starts: an output must be writable, must
/// not be an existing directory when a file is meant (or a file when a directory is meant), and must not resolve —
/// after following symbolic links — to one of the inputs or to a place inside an input directory. Failures throw
/// <see cref="OutputPathException"/> with one line naming the path and the reason.
/// </summary>
public static class OutputPath
{
    /// <summary>
    /// Checks that <paramref name="output"/> can be written as a file without touching any of <paramref name="inputs"/>
    /// (files or directories; null entries are skipped). Returns the full path of the output.
    /// </summary>
    public static string CheckFile(string output, params IEnumerable<string?> inputs)
    {
        if (!string.IsNullOrWhiteSpace(output) && Directory.Exists(output))
            throw new OutputPathException($"Output '{output}' is a directory; give a file name.");
        var full = CheckCommon(output, inputs);
        CheckWritable(output, Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>
    /// Checks that <paramref name="output"/> can be written as a directory (created if missing, files replaced inside)
    /// without touching any of <paramref name="inputs"/>. Returns the full path of the output.
    /// </summary>
    public static string CheckDirectory(string output, params IEnumerable<string?> inputs)
    {
        var full = CheckCommon(output, inputs);
        if (File.Exists(full))
            throw new OutputPathException($"Output directory '{output}' is an existing file.");
        // Atomic directory saves build a sibling and rename it in, so the parent must be writable, as must the directory.
        CheckWritable(output, Path.GetDirectoryName(full) ?? full);
        if (Directory.Exists(full)) CheckWritable(output, full);
        return full;
    }

    /// <summary>
    /// <paramref name="path"/> made absolute with every symbolic link on the way resolved (also links in parent
    /// directories), so two spellings of one file compare equal. Missing trailing parts are kept as written.
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists && info.LinkTarget is null)
                return Path.Combine([next, .. parts[(i + 1)..]]);
            // A chain of links or a link cycle ends here with an IOException, which is the user's to fix.
            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            current = target is null ? next : Path.GetFullPath(target.FullName);
            if (target is not null && current != next && i + 1 < parts.Length)
                current = Resolve(current);
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or lies inside it (both already resolved).</summary>
    public static bool IsWithin(string path, string directory)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var d = directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return path.Equals(d, comparison) || path.StartsWith(d + Path.DirectorySeparatorChar, comparison);
    }

    private static string CheckCommon(string output, IEnumerable<string?> inputs)
    {
        if (string.IsNullOrWhiteSpace(output)) throw new OutputPathException("Output path is empty.");
        string resolved;
        try
        {
            resolved = Resolve(output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputPathException($"Output '{output}' cannot be resolved: {e.Message}", e);
        }
        foreach (var input in inputs)
        {
            if (string.IsNullOrEmpty(input)) continue;
            var source = Resolve(input);
            if (IsWithin(resolved, source) && resolved.Length == source.TrimEnd(Path.DirectorySeparatorChar).Length)
                throw new OutputPathException($"Output '{output}' is the input '{input}'; writing it would destroy the input.");
            if (Directory.Exists(source) && IsWithin(resolved, source))
                throw new OutputPathException($"Output '{output}' lies inside the input directory '{input}'; write it elsewhere so the input stays as it is.");
            // Writing a directory that contains an input would replace the input as well.
            if (IsWithin(source, resolved))
                throw new OutputPathException($"Output '{output}' contains the input '{input}'; write it elsewhere so the input stays as it is.");
        }
        return Path.GetFullPath(output);
    }

    // A probe file is the only portable way to learn whether this process may create files in a directory.
    private static void CheckWritable(string output, string directory)
    {
        var existing = directory;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw new OutputPathException($"Output '{output}' cannot be created: '{existing}' is a file, not a directory.");
            existing = Path.GetDirectoryName(existing) ?? throw new OutputPathException($"Output '{output}' has no existing parent directory.");
        }
        var probe = Path.Combine(existing, $".llmml-probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputPathException($"Output '{output}' cannot be written: directory '{existing}' is not writable ({e.Message}).", e);
        }
    }
}

/// <summary>An output path that cannot or must not be written; the message is one line naming the path.</summary>
public sealed class OutputPathException(string message, Exception? inner = null) : IOException(message, inner);
