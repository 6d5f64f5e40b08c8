using System.Text.Json.Serialization;

namespace TypedBuild.Notifications.Slack.Blocks;

/// <summary>
/// A Block Kit text object. Constructors cut the text to the limit of the place it is used in (with an ellipsis), so
/// a long commit subject or error never turns a message into Slack's <c>invalid_blocks</c>.
/// </summary>
public sealed record SlackText
{
    private SlackText(string type, string text)
    {
        Type = type;
        Text = text;
    }

    [JsonPropertyName("type")]
    public string Type { get; }

    [JsonPropertyName("text")]
    public string Text { get; }

    /// <summary>Plain text (headers, buttons): Slack escapes nothing and formats nothing.</summary>
    public static SlackText Plain(string text, int limit) => new("plain_text", Cut(text, limit));

    /// <summary>Slack's mrkdwn. <paramref name="text"/> is used as written: escape user content with <see cref="Escape"/>.</summary>
    public static SlackText Markdown(string text, int limit) => new("mrkdwn", Cut(text, limit));

    /// <summary>Escapes the three characters mrkdwn gives a meaning (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>).</summary>
    public static string Escape(string text)
        => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>The text, shortened to <paramref name="limit"/> characters with a trailing ellipsis when longer.</summary>
    public static string Cut(string text, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return text.Length <= limit ? text : text[..(limit - 1)] + "…";
    }
}
