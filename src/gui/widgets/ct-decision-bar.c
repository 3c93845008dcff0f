/* ct-decision-bar.c - The decisions a case offers, at the bottom of the case page
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Buttons name the window's actions; the window enables them and says why
 * one is not available. A disabled button keeps its tooltip in GTK 4, and
 * the accessible description carries the same sentence for a screen
 * reader, which does not read tooltips.
 */

#define G_LOG_DOMAIN "ct-decision-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-decision-bar.h"

#define N_OUTCOMES (CT_DECISION_DELEGATE + 1)

struct _CtDecisionBar
{
  GtkWidget  parent_instance;

  char      *reasons[N_OUTCOMES];  /* (owned) (nullable) */

  GtkWidget *approve_button;
  GtkWidget *box;
  GtkWidget *conditions_button;
  GtkWidget *delegate_button;
  GtkWidget *escalate_button;
  GtkWidget *note;
  GtkWidget *reject_button;
  GtkWidget *revise_button;
};

G_DEFINE_FINAL_TYPE (CtDecisionBar, ct_decision_bar, GTK_TYPE_WIDGET)

static const char *const actions[N_OUTCOMES] = {
  [CT_DECISION_APPROVE] = "win.approve",
  [CT_DECISION_REJECT] = "win.reject",
  [CT_DECISION_REVISE] = "win.request-revision",
  [CT_DECISION_APPROVE_WITH_CONDITIONS] = "win.approve-with-conditions",
  [CT_DECISION_ESCALATE] = "win.escalate",
  [CT_DECISION_DELEGATE] = "win.delegate",
};

/* What each button does, for its tooltip when it is available. */
static const char *
describe (CtDecisionOutcome outcome)
{
  switch (outcome)
    {
    case CT_DECISION_APPROVE: return _("Approve this case (Ctrl+Enter)");
    case CT_DECISION_REJECT: return _("Reject this case with a comment (Shift+Ctrl+R)");
    case CT_DECISION_REVISE: return _("Send it back to the requester to change (Shift+Ctrl+B)");
    case CT_DECISION_APPROVE_WITH_CONDITIONS:
      return _("Approve with conditions to follow up (Shift+Ctrl+Enter)");
    case CT_DECISION_ESCALATE: return _("Hand it to the next level of the area’s chain (Shift+Ctrl+L)");
    case CT_DECISION_DELEGATE: return _("Hand it to someone else to decide (Shift+Ctrl+T)");
    default: g_assert_not_reached ();
    }
}

static void
update_note (CtDecisionBar *self)
{
  /* The approval's reason first: it is the one a controller looks for. */
  const char *order[] = { NULL, NULL };

  order[0] = self->reasons[CT_DECISION_APPROVE];
  for (guint i = 0; order[0] == NULL && i < N_OUTCOMES; i++)
    order[0] = self->reasons[i];
  gtk_label_set_text (GTK_LABEL (self->note), order[0] ? order[0] : "");
  gtk_widget_set_tooltip_text (self->note, order[0]);
  gtk_widget_set_visible (self->note, order[0] != NULL);
}

static void
ct_decision_bar_dispose (GObject *object)
{
  CtDecisionBar *self = CT_DECISION_BAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_DECISION_BAR);
  G_OBJECT_CLASS (ct_decision_bar_parent_class)->dispose (object);
}

static void
ct_decision_bar_finalize (GObject *object)
{
  CtDecisionBar *self = CT_DECISION_BAR (object);

  for (guint i = 0; i < N_OUTCOMES; i++)
    g_free (self->reasons[i]);
  G_OBJECT_CLASS (ct_decision_bar_parent_class)->finalize (object);
}

static void
ct_decision_bar_class_init (CtDecisionBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_decision_bar_dispose;
  object_class->finalize = ct_decision_bar_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/widgets/ct-decision-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, approve_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, box);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, conditions_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, delegate_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, escalate_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, note);
  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_popover_popdown",
                                                G_CALLBACK (gtk_popover_popdown));
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, reject_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionBar, revise_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "decisionbar");
}

static void
ct_decision_bar_init (CtDecisionBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < N_OUTCOMES; i++)
    ct_decision_bar_set_reason (self, i, NULL);
}

GtkWidget *
ct_decision_bar_new (void)
{
  return g_object_new (CT_TYPE_DECISION_BAR, NULL);
}

const char *
ct_decision_bar_action_for (CtDecisionOutcome outcome)
{
  g_return_val_if_fail (outcome < N_OUTCOMES, NULL);
  return actions[outcome];
}

GtkWidget *
ct_decision_bar_get_button (CtDecisionBar     *self,
                            CtDecisionOutcome  outcome)
{
  g_return_val_if_fail (CT_IS_DECISION_BAR (self), NULL);

  switch (outcome)
    {
    case CT_DECISION_APPROVE: return self->approve_button;
    case CT_DECISION_REJECT: return self->reject_button;
    case CT_DECISION_REVISE: return self->revise_button;
    case CT_DECISION_APPROVE_WITH_CONDITIONS: return self->conditions_button;
    case CT_DECISION_ESCALATE: return self->escalate_button;
    case CT_DECISION_DELEGATE: return self->delegate_button;
    default: g_return_val_if_reached (NULL);
    }
}

void
ct_decision_bar_set_reason (CtDecisionBar     *self,
                            CtDecisionOutcome  outcome,
                            const char        *reason)
{
  GtkWidget *button;
  const char *text;

  g_return_if_fail (CT_IS_DECISION_BAR (self));
  g_return_if_fail (outcome < N_OUTCOMES);

  button = ct_decision_bar_get_button (self, outcome);
  g_free (self->reasons[outcome]);
  self->reasons[outcome] = g_strdup (reason);
  text = reason ? reason : describe (outcome);
  gtk_widget_set_tooltip_text (button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
  update_note (self);
}

const char *
ct_decision_bar_get_reason (CtDecisionBar     *self,
                            CtDecisionOutcome  outcome)
{
  g_return_val_if_fail (CT_IS_DECISION_BAR (self), NULL);
  g_return_val_if_fail (outcome < N_OUTCOMES, NULL);
  return self->reasons[outcome];
}
