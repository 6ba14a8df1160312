using System.Text.Json;
using System.Text.Json.Serialization;

namespace LLMML.Rasp.Language;

/// <summary>JSON form of a value: a number, a string, or null for None.</summary>
public sealed class RaspValueJsonConverter : JsonConverter<RaspValue>
{
    public override RaspValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => RaspValue.None,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new JsonException($"A RASP value must be a number, a string or null, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, RaspValue value, JsonSerializerOptions options)
    {
        if (value.IsNone) writer.WriteNullValue();
        else if (value.IsNumber) writer.WriteNumberValue(value.Number);
        else writer.WriteStringValue(value.Text);
    }
}
