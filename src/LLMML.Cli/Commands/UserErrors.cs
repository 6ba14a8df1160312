using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Syntax;

namespace LLMML.Cli.Commands;

/// <summary>
/// The one place exceptions become what the user sees. Those that mean "your input is wrong" (a missing or unreadable
/// file, an unknown task, a malformed number, a model larger than memory, a RASP program that breaks a rule) print one
/// line and exit 2. Anything else is our bug: one line saying so and the path of a report holding the stack trace, exit 70.
/// </summary>
internal static partial class UserErrors
{
    public const int UserErrorExit = 2, CancelledExit = 130, BugExit = 70;

    /// <summary>Whether <paramref name="e"/> (already unwrapped) is the user's to fix.</summary>
    public static bool Is(Exception e) => e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException
        or InvalidOperationException or NotSupportedException or KeyNotFoundException or FormatException or OverflowException
        or JsonException or InsufficientMemoryException or ExternalException
        or RaspCompileException or RaspSyntaxException or RaspEvaluationException
        // Newtonsoft's, thrown from inside dependencies; matched by name so the CLI need not reference it.
        || e.GetType().Name is "JsonReaderException" or "JsonSerializationException";

    /// <summary>The exception that says what went wrong: reflection, task and type-initializer wrappers removed.</summary>
    public static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case TargetInvocationException { InnerException: { } inner }: e = inner; continue;
                case TypeInitializationException { InnerException: { } inner }: e = inner; continue;
                case AggregateException a when a.Flatten().InnerExceptions.Count == 1: e = a.Flatten().InnerExceptions[0]; continue;
                default: return e;
            }
        }
    }

    /// <summary>
    /// One line for the user: the message's first line (libtorch appends C++ frames, ArgumentOutOfRangeException an
    /// "Actual value was" line) without .NET's " (Parameter 'x')" suffix.
    /// </summary>
    public static string OneLine(Exception e)
    {
        var first = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? e.GetType().Name;
        return ParameterSuffix().Replace(first, "");
    }

    /// <summary>Prints what <paramref name="thrown"/> means and returns the exit code.</summary>
    public static int Report(Exception thrown, string[] args, TextWriter error)
    {
        var e = Unwrap(thrown);
        if (e is OperationCanceledException)
        {
            error.WriteLine("llmml: cancelled.");
            return CancelledExit;
        }
        if (Is(e))
        {
            // Bad input is the user's to fix: say what is wrong, not where in our code it was noticed.
            error.WriteLine($"llmml: {OneLine(e)}");
            return UserErrorExit;
        }
        var report = WriteReport(thrown, args);
        error.WriteLine($"llmml: internal error ({e.GetType().Name}: {OneLine(e)}).");
        error.WriteLine(report is null ? "llmml: the crash report could not be written." : $"llmml: details in {report} — please attach it to a bug report.");
        return BugExit;
    }

    private static string? WriteReport(Exception e, string[] args)
    {
        try
        {
            var path = Path.Combine(Path.GetTempPath(), $"llmml-crash-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.txt");
            File.WriteAllText(path,
                $"llmml {typeof(UserErrors).Assembly.GetName().Version} on {RuntimeInformation.OSDescription}, .NET {Environment.Version}\n" +
                $"arguments: {JsonSerializer.Serialize(args)}\n\n{e}\n");
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();
}
