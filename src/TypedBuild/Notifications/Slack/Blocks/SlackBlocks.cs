using System.Text.Json.Serialization;

namespace TypedBuild.Notifications.Slack.Blocks;

/// <summary>Block Kit limits (docs.slack.dev/reference/block-kit): beyond them Slack rejects the whole message.</summary>
public static class SlackLimits
{
    public const int Blocks = 50;
    public const int HeaderText = 150;
    public const int SectionText = 3000;
    public const int SectionFields = 10;
    public const int FieldText = 2000;
    public const int ContextElements = 10;
    public const int ButtonText = 75;
    public const int ButtonUrl = 3000;

    /// <summary>The notification text shown where blocks cannot be (push notifications).</summary>
    public const int FallbackText = 3000;
}

/// <summary>One block of a message; the JSON <c>type</c> comes from the derived record.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
public abstract record SlackBlock;

/// <summary>A bold title line, plain text of at most 150 characters.</summary>
public sealed record HeaderBlock : SlackBlock
{
    public HeaderBlock(string text) => Text = SlackText.Plain(text, SlackLimits.HeaderText);

    [JsonPropertyName("text")]
    public SlackText Text { get; }
}

/// <summary>A paragraph (at most 3000 characters) and/or up to 10 two-column fields (at most 2000 characters each).</summary>
public sealed record SectionBlock : SlackBlock
{
    public SectionBlock(string? markdown = null, IEnumerable<string>? fields = null)
    {
        Text = markdown is null ? null : SlackText.Markdown(markdown, SlackLimits.SectionText);
        var list = fields?.Take(SlackLimits.SectionFields).Select(f => SlackText.Markdown(f, SlackLimits.FieldText)).ToList();
        Fields = list is { Count: > 0 } ? list : null;
        if (Text is null && Fields is null)
        {
            throw new ArgumentException("A section needs text or at least one field.", nameof(markdown));
        }
    }

    [JsonPropertyName("text")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SlackText? Text { get; }

    [JsonPropertyName("fields")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SlackText>? Fields { get; }
}

/// <summary>Small grey print under a section: up to 10 mrkdwn elements.</summary>
public sealed record ContextBlock : SlackBlock
{
    public ContextBlock(params string[] markdown)
        => Elements = markdown.Take(SlackLimits.ContextElements).Select(m => SlackText.Markdown(m, SlackLimits.SectionText)).ToList();

    [JsonPropertyName("elements")]
    public IReadOnlyList<SlackText> Elements { get; }
}

/// <summary>A row of link buttons.</summary>
public sealed record ActionsBlock(
    [property: JsonPropertyName("elements")] IReadOnlyList<LinkButton> Elements) : SlackBlock;

/// <summary>A button that opens a URL (the run, the environment).</summary>
public sealed record LinkButton
{
    public LinkButton(string text, Uri url)
    {
        Text = SlackText.Plain(text, SlackLimits.ButtonText);
        Url = url.AbsoluteUri.Length <= SlackLimits.ButtonUrl ? url.AbsoluteUri : throw new ArgumentException("Button URLs are limited to 3000 characters.", nameof(url));
    }

    [JsonPropertyName("type")]
    public string Type { get; } = "button";

    [JsonPropertyName("text")]
    public SlackText Text { get; }

    [JsonPropertyName("url")]
    public string Url { get; }
}

/// <summary>A horizontal rule.</summary>
public sealed record DividerBlock : SlackBlock;

/// <summary>
/// An incoming-webhook message: <see cref="Text"/> is the notification fallback, <see cref="Blocks"/> the layout. More
/// than 50 blocks are cut to 49 plus a note saying how many were left out.
/// </summary>
public sealed record SlackMessage
{
    public SlackMessage(string text, IEnumerable<SlackBlock> blocks)
    {
        Text = SlackText.Cut(text, SlackLimits.FallbackText);
        var list = blocks.ToList();
        Blocks = list.Count <= SlackLimits.Blocks
            ? list
            : [.. list.Take(SlackLimits.Blocks - 1), new ContextBlock($"_{list.Count - SlackLimits.Blocks + 1} more blocks left out (Slack shows at most {SlackLimits.Blocks})._")];
    }

    [JsonPropertyName("text")]
    public string Text { get; }

    [JsonPropertyName("blocks")]
    public IReadOnlyList<SlackBlock> Blocks { get; }

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, SlackJson.Default.SlackMessage);
}

[JsonSerializable(typeof(SlackMessage))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class SlackJson : JsonSerializerContext;
