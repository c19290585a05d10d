import { AppError } from '@/lib/errors';
import { suggest } from '@/lib/text/suggest';

/**
 * The built-in object model of billing objects that trigger conditions are written over: an object change
 * exposes `changeType`, the base object's fields as `Invoice.Status`, their previous values as
 * `Invoice.Status_old`, and related objects' fields. Framework-free: the analyzer runs it on every keystroke.
 */

/** A field's value type. `date` is a calendar day ('YYYY-MM-DD'), `datetime` an ISO 8601 timestamp. */
export type ObjectFieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime';

export interface ObjectField {
  name: string;
  type: ObjectFieldType;
  description: string;
  /** A per-workspace or standard custom field; its name ends in `__c`. */
  custom?: boolean;
  /** The allowed values of a status-like string field, in their canonical spelling. */
  picklist?: readonly string[];
}

export interface BillingObject {
  name: string;
  description: string;
  fields: readonly ObjectField[];
}

/** The values of `changeType` in a trigger condition. */
export const CHANGE_TYPES = ['INSERT', 'UPDATE', 'DELETE'] as const;

const f = (name: string, type: ObjectFieldType, description: string, picklist?: readonly string[]): ObjectField =>
  picklist ? { name, type, description, picklist } : { name, type, description };
const custom = (name: string, type: ObjectFieldType, description: string): ObjectField => ({ name, type, description, custom: true });
const audit = (what: string): ObjectField[] => [
  f('CreatedDate', 'datetime', `When the ${what} was created.`),
  f('UpdatedDate', 'datetime', `When the ${what} was last changed.`),
  f('CreatedById', 'string', `Id of the user who created the ${what}.`),
  f('UpdatedById', 'string', `Id of the user who last changed the ${what}.`),
];
const object = (name: string, description: string, fields: ObjectField[]): BillingObject => ({ name, description, fields });

const PERIOD_TYPES = ['Month', 'Year', 'Day', 'Week'];

/** The 14 built-in billing objects with their standard fields (and a few standard custom fields). */
export const BILLING_OBJECTS: readonly BillingObject[] = deepFreeze([
  object('Account', 'A customer who is billed: owns subscriptions, invoices, payments and payment methods.', [
    f('Id', 'string', 'Unique id of the account.'),
    f('Name', 'string', 'The customer name shown on invoices.'),
    f('AccountNumber', 'string', 'The account number, e.g. A00000042.'),
    f('CrmId', 'string', 'Id of the matching account in the CRM.'),
    f('Status', 'string', 'Lifecycle status of the account.', ['Draft', 'Active', 'Canceled']),
    f('Currency', 'string', 'Currency the account is billed in (ISO 4217, e.g. EUR).'),
    f('Balance', 'number', 'Total amount the customer owes on posted invoices.'),
    f('CreditBalance', 'number', 'Credit held for the customer, applied to future invoices.'),
    f('BillCycleDay', 'integer', 'Day of the month on which the account is billed (1-31).'),
    f('PaymentTerm', 'string', 'When invoices are due, e.g. Net 30 or Due Upon Receipt.'),
    f('AutoPay', 'boolean', 'Whether payments are collected automatically from the default payment method.'),
    f('Batch', 'string', 'The bill-run batch the account belongs to, e.g. Batch1.'),
    f('ParentId', 'string', 'Id of the parent account in a customer hierarchy.'),
    f('BillToId', 'string', 'Id of the contact invoices are sent to.'),
    f('SoldToId', 'string', 'Id of the contact the products are sold to (used for tax).'),
    f('DefaultPaymentMethodId', 'string', 'Id of the payment method used for automatic payments.'),
    f('InvoiceDeliveryPrefsEmail', 'boolean', 'Whether invoices are emailed to the bill-to contact.'),
    f('InvoiceTemplateId', 'string', 'Id of the template invoices of this account are rendered with.'),
    f('TaxExemptStatus', 'string', 'Whether the customer is exempt from tax.', ['No', 'Yes', 'PendingVerification']),
    f('LastInvoiceDate', 'date', 'Date of the most recent invoice.'),
    f('SalesRepName', 'string', 'The sales representative responsible for the account.'),
    f('Notes', 'string', 'Free-text notes about the account.'),
    ...audit('account'),
    custom('TradingPartnerCode__c', 'string', 'Code of the account in the trading-partner (intercompany) system.'),
  ]),
  object('Contact', 'A person at a customer: the bill-to or sold-to address of an account.', [
    f('Id', 'string', 'Unique id of the contact.'),
    f('AccountId', 'string', 'Id of the account the contact belongs to.'),
    f('FirstName', 'string', 'First name.'),
    f('LastName', 'string', 'Last name.'),
    f('NickName', 'string', 'Nickname or preferred name.'),
    f('WorkEmail', 'string', 'Work email address; invoices are emailed here.'),
    f('PersonalEmail', 'string', 'Personal email address.'),
    f('WorkPhone', 'string', 'Work phone number.'),
    f('MobilePhone', 'string', 'Mobile phone number.'),
    f('Fax', 'string', 'Fax number.'),
    f('Address1', 'string', 'First line of the street address.'),
    f('Address2', 'string', 'Second line of the street address.'),
    f('City', 'string', 'City.'),
    f('State', 'string', 'State or province.'),
    f('County', 'string', 'County, where tax depends on it.'),
    f('PostalCode', 'string', 'Postal or ZIP code.'),
    f('Country', 'string', 'Country (name or ISO code).'),
    f('TaxRegion', 'string', 'Tax region used to calculate tax for this address.'),
    f('Description', 'string', 'Free-text notes about the contact.'),
    ...audit('contact'),
  ]),
  object('Subscription', 'An agreement of an account to buy products for a term; every amendment makes a new version.', [
    f('Id', 'string', 'Unique id of this version of the subscription.'),
    f('Name', 'string', 'The subscription number, e.g. A-S00000123; the same for every version.'),
    f('AccountId', 'string', 'Id of the account that owns the subscription.'),
    f('InvoiceOwnerId', 'string', 'Id of the account that is invoiced for the subscription.'),
    f('Status', 'string', 'Lifecycle status of the subscription.', [
      'Draft', 'Pending Activation', 'Pending Acceptance', 'Active', 'Cancelled', 'Suspended', 'Expired',
    ]),
    f('TermType', 'string', 'Whether the subscription has a fixed term or runs until cancelled.', ['TERMED', 'EVERGREEN']),
    f('InitialTerm', 'integer', 'Length of the first term, in InitialTermPeriodType units.'),
    f('InitialTermPeriodType', 'string', 'Unit of the first term.', PERIOD_TYPES),
    f('CurrentTerm', 'integer', 'Length of the current term, in CurrentTermPeriodType units.'),
    f('CurrentTermPeriodType', 'string', 'Unit of the current term.', PERIOD_TYPES),
    f('RenewalTerm', 'integer', 'Length of each renewal term, in RenewalTermPeriodType units.'),
    f('RenewalTermPeriodType', 'string', 'Unit of the renewal term.', PERIOD_TYPES),
    f('TermStartDate', 'date', 'First day of the current term.'),
    f('TermEndDate', 'date', 'Last day of the current term.'),
    f('SubscriptionStartDate', 'date', 'Day the subscription starts.'),
    f('SubscriptionEndDate', 'date', 'Day the subscription ends (empty while evergreen).'),
    f('ContractEffectiveDate', 'date', 'Day the contract was signed and takes effect.'),
    f('ServiceActivationDate', 'date', 'Day the service was activated for the customer.'),
    f('ContractAcceptanceDate', 'date', 'Day the customer accepted the service.'),
    f('CancelledDate', 'date', 'Day the subscription was cancelled.'),
    f('AutoRenew', 'boolean', 'Whether the subscription renews automatically at the end of the term.'),
    f('Version', 'integer', 'Version number; the first version is 1 and each amendment adds one.'),
    f('OriginalId', 'string', 'Id of the first version of the subscription.'),
    f('PreviousSubscriptionId', 'string', 'Id of the version this one replaced.'),
    f('IsInvoiceSeparate', 'boolean', 'Whether the subscription is invoiced separately from the account\'s others.'),
    f('Notes', 'string', 'Free-text notes about the subscription.'),
    ...audit('subscription'),
  ]),
  object('RatePlan', 'A product rate plan as added to one subscription: groups the subscription\'s charges for it.', [
    f('Id', 'string', 'Unique id of the subscription rate plan.'),
    f('Name', 'string', 'Name of the rate plan, copied from the product rate plan.'),
    f('SubscriptionId', 'string', 'Id of the subscription version the rate plan belongs to.'),
    f('ProductRatePlanId', 'string', 'Id of the catalog rate plan it was created from.'),
    f('SubscriptionRatePlanNumber', 'string', 'Number of the rate plan within the subscription.'),
    f('OriginalRatePlanId', 'string', 'Id of the rate plan in the first subscription version it appeared in.'),
    f('AmendmentId', 'string', 'Id of the amendment that added or changed the rate plan.'),
    f('AmendmentType', 'string', 'What the last amendment did to the rate plan.', ['NewProduct', 'RemoveProduct', 'UpdateProduct']),
    f('AmendmentSubscriptionRatePlanId', 'string', 'Id of the rate plan the amendment changed.'),
    f('ExternallyManagedPlanId', 'string', 'Id of the plan in an external store (e.g. an app store) that manages it.'),
    ...audit('rate plan'),
  ]),
  object('RatePlanCharge', 'One charge of a subscription rate plan: what is billed, how it is priced and for which period.', [
    f('Id', 'string', 'Unique id of the charge in this subscription version.'),
    f('Name', 'string', 'Name of the charge, copied from the product catalog.'),
    f('RatePlanId', 'string', 'Id of the subscription rate plan the charge belongs to.'),
    f('ProductRatePlanChargeId', 'string', 'Id of the catalog charge it was created from.'),
    f('ChargeNumber', 'string', 'The charge number, e.g. C-00000123; the same across subscription versions.'),
    f('ChargeType', 'string', 'Whether the charge is billed once, every period or by usage.', ['OneTime', 'Recurring', 'Usage']),
    f('ChargeModel', 'string', 'How the price is calculated.', [
      'FlatFee', 'PerUnit', 'Tiered', 'Volume', 'Overage', 'TieredWithOverage', 'DiscountFixedAmount', 'DiscountPercentage',
    ]),
    f('BillingPeriod', 'string', 'How often a recurring charge is billed.', [
      'Month', 'Quarter', 'Semi_Annual', 'Annual', 'Eighteen_Months', 'Two_Years', 'Three_Years', 'Five_Years', 'Week', 'Specific_Months',
    ]),
    f('Quantity', 'number', 'Number of units bought (per-unit, tiered and volume charges).'),
    f('Price', 'number', 'Price per unit, or the flat fee.'),
    f('UOM', 'string', 'Unit of measure the charge is priced in, e.g. GB or API call.'),
    f('MRR', 'number', 'Monthly recurring revenue of the charge.'),
    f('TCV', 'number', 'Total contract value of the charge over the term.'),
    f('DMRC', 'number', 'Change in monthly recurring revenue made by the last amendment.'),
    f('DTCV', 'number', 'Change in total contract value made by the last amendment.'),
    f('EffectiveStartDate', 'date', 'First day the charge is billed for.'),
    f('EffectiveEndDate', 'date', 'Day after the last day the charge is billed for.'),
    f('ChargedThroughDate', 'date', 'Day up to which the charge has been billed.'),
    f('ProcessedThroughDate', 'date', 'Day up to which the charge has been processed by bill runs.'),
    f('TriggerEvent', 'string', 'What starts the charge.', ['ContractEffective', 'ServiceActivation', 'CustomerAcceptance', 'SpecificDate']),
    f('TriggerDate', 'date', 'Day the charge starts when TriggerEvent is SpecificDate.'),
    f('Version', 'integer', 'Version of the charge; changes to the charge raise it.'),
    f('Segment', 'integer', 'Segment number when the charge changes price during the term.'),
    f('IsLastSegment', 'boolean', 'Whether this is the charge\'s latest segment.'),
    ...audit('charge'),
  ]),
  object('Product', 'An item in the product catalog that rate plans price.', [
    f('Id', 'string', 'Unique id of the product.'),
    f('Name', 'string', 'Name of the product.'),
    f('ProductNumber', 'string', 'The product number, e.g. PC-00000012.'),
    f('SKU', 'string', 'Stock-keeping unit that identifies the product.'),
    f('Description', 'string', 'Description of the product.'),
    f('Category', 'string', 'Catalog category of the product.', ['Base Products', 'Add On Services', 'Miscellaneous Products']),
    f('EffectiveStartDate', 'date', 'First day the product can be sold.'),
    f('EffectiveEndDate', 'date', 'Last day the product can be sold.'),
    f('AllowFeatureChanges', 'boolean', 'Whether features of the product can be changed on a subscription.'),
    ...audit('product'),
  ]),
  object('ProductRatePlan', 'A price plan of a catalog product, e.g. "Pro, billed annually".', [
    f('Id', 'string', 'Unique id of the product rate plan.'),
    f('Name', 'string', 'Name of the rate plan.'),
    f('ProductId', 'string', 'Id of the product the rate plan prices.'),
    f('ProductRatePlanNumber', 'string', 'The rate plan number, e.g. PRP-00000034.'),
    f('Description', 'string', 'Description of the rate plan.'),
    f('EffectiveStartDate', 'date', 'First day the rate plan can be sold.'),
    f('EffectiveEndDate', 'date', 'Last day the rate plan can be sold.'),
    f('Grade', 'integer', 'Rank of the plan among its product\'s plans, for upgrades and downgrades.'),
    f('ActiveCurrencies', 'string', 'Currencies the rate plan has prices in, comma-separated.'),
    f('ExternalIdSourceSystem', 'string', 'System that the external id of the rate plan comes from.'),
    ...audit('rate plan'),
    custom('ExternalSystem__c', 'string', 'External system the rate plan is synchronised with.'),
  ]),
  object('Order', 'A set of changes to an account\'s subscriptions, e.g. a new sale, renewal or cancellation.', [
    f('Id', 'string', 'Unique id of the order.'),
    f('OrderNumber', 'string', 'The order number, e.g. O-00000056.'),
    f('AccountId', 'string', 'Id of the account that placed the order.'),
    f('OrderDate', 'date', 'Day the order was placed.'),
    f('Status', 'string', 'Processing status of the order.', [
      'Draft', 'Pending', 'Scheduled', 'Executing', 'Completed', 'Cancelled', 'Failed',
    ]),
    f('Category', 'string', 'Whether the order sells or returns.', ['NewSales', 'Return']),
    f('Description', 'string', 'Description of the order.'),
    f('ScheduledDate', 'date', 'Day a scheduled order is to be executed.'),
    f('ScheduledDatePolicy', 'string', 'What the scheduled day refers to.', ['SpecificDate']),
    f('CancelReason', 'string', 'Why the order was cancelled.'),
    f('ErrorCode', 'string', 'Error code when the order failed.'),
    f('ErrorMessage', 'string', 'Error message when the order failed.'),
    f('CreatedByMigration', 'boolean', 'Whether the order was created when subscriptions were migrated to orders.'),
    ...audit('order'),
  ]),
  object('Invoice', 'A bill for an account: the charges of a billing period, with tax, due date and open balance.', [
    f('Id', 'string', 'Unique id of the invoice.'),
    f('AccountId', 'string', 'Id of the account that is billed.'),
    f('InvoiceNumber', 'string', 'The invoice number, e.g. INV00000123.'),
    f('InvoiceDate', 'date', 'Day the invoice is dated.'),
    f('DueDate', 'date', 'Day payment is due.'),
    f('TargetDate', 'date', 'Day up to which charges were billed.'),
    f('Status', 'string', 'Lifecycle status of the invoice.', ['Draft', 'Posted', 'Canceled', 'Error']),
    f('Amount', 'number', 'Total of the invoice, including tax.'),
    f('AmountWithoutTax', 'number', 'Total of the invoice, without tax.'),
    f('TaxAmount', 'number', 'Tax on the invoice.'),
    f('Balance', 'number', 'Amount still open (not yet paid or credited).'),
    f('PaymentAmount', 'number', 'Amount paid on the invoice.'),
    f('RefundAmount', 'number', 'Amount refunded on the invoice.'),
    f('Currency', 'string', 'Currency of the invoice (ISO 4217, e.g. EUR).'),
    f('PostedDate', 'datetime', 'When the invoice was posted.'),
    f('PostedBy', 'string', 'Id of the user who posted the invoice.'),
    f('Source', 'string', 'What generated the invoice.', ['BillRun', 'API', 'ApiSubscribe', 'ApiAmend']),
    f('SourceId', 'string', 'Id of the bill run or request that generated the invoice.'),
    f('IncludesOneTime', 'boolean', 'Whether the invoice bills one-time charges.'),
    f('IncludesRecurring', 'boolean', 'Whether the invoice bills recurring charges.'),
    f('IncludesUsage', 'boolean', 'Whether the invoice bills usage charges.'),
    f('LastEmailSentDate', 'datetime', 'When the invoice was last emailed to the customer.'),
    f('TransferredToAccounting', 'string', 'Whether the invoice was transferred to accounting.', ['Processing', 'Yes', 'No', 'Error', 'Ignore']),
    f('Comments', 'string', 'Comments printed on or kept with the invoice.'),
    ...audit('invoice'),
    custom('SyncedToErp__c', 'boolean', 'Whether the invoice has been synchronised to the ERP.'),
  ]),
  object('InvoiceItem', 'One line of an invoice: a charge billed for a service period.', [
    f('Id', 'string', 'Unique id of the invoice item.'),
    f('InvoiceId', 'string', 'Id of the invoice the item is on.'),
    f('AccountId', 'string', 'Id of the account that is billed.'),
    f('SubscriptionId', 'string', 'Id of the subscription the charge belongs to.'),
    f('RatePlanChargeId', 'string', 'Id of the subscription charge that was billed.'),
    f('ProductId', 'string', 'Id of the product that was billed.'),
    f('ChargeName', 'string', 'Name of the charge, as printed on the invoice.'),
    f('ChargeDate', 'datetime', 'When the charge was billed.'),
    f('ChargeAmount', 'number', 'Amount of the line, without tax.'),
    f('TaxAmount', 'number', 'Tax on the line.'),
    f('Balance', 'number', 'Amount of the line still open.'),
    f('Quantity', 'number', 'Number of units billed.'),
    f('UnitPrice', 'number', 'Price per unit.'),
    f('UOM', 'string', 'Unit of measure of the quantity.'),
    f('ServiceStartDate', 'date', 'First day of the service period billed.'),
    f('ServiceEndDate', 'date', 'Last day of the service period billed.'),
    f('SKU', 'string', 'Stock-keeping unit of the product billed.'),
    f('ProcessingType', 'string', 'Kind of line.', ['Charge', 'Discount', 'Prepayment', 'Tax']),
    f('AccountingCode', 'string', 'General-ledger accounting code of the charge.'),
    ...audit('invoice item'),
  ]),
  object('Payment', 'Money received from (or collected from) a customer and applied to invoices.', [
    f('Id', 'string', 'Unique id of the payment.'),
    f('AccountId', 'string', 'Id of the account that paid.'),
    f('PaymentNumber', 'string', 'The payment number, e.g. P-00000078.'),
    f('Amount', 'number', 'Amount of the payment.'),
    f('AppliedAmount', 'number', 'Part of the payment applied to invoices.'),
    f('UnappliedAmount', 'number', 'Part of the payment not yet applied.'),
    f('RefundAmount', 'number', 'Part of the payment refunded.'),
    f('Currency', 'string', 'Currency of the payment (ISO 4217, e.g. EUR).'),
    f('EffectiveDate', 'date', 'Day the payment takes effect.'),
    f('Status', 'string', 'Processing status of the payment.', ['Draft', 'Processing', 'Processed', 'Error', 'Canceled', 'Posted']),
    f('Type', 'string', 'Whether the payment was collected through a gateway or recorded by hand.', ['Electronic', 'External']),
    f('PaymentMethodId', 'string', 'Id of the payment method used.'),
    f('GatewayState', 'string', 'Where the payment stands at the payment gateway.', ['NotSubmitted', 'Submitted', 'Settled', 'FailedToSettle']),
    f('GatewayResponse', 'string', 'Message returned by the payment gateway.'),
    f('GatewayResponseCode', 'string', 'Code returned by the payment gateway.'),
    f('ReferenceId', 'string', 'Transaction id at the gateway or bank.'),
    f('SubmittedOn', 'datetime', 'When the payment was submitted to the gateway.'),
    f('SettledOn', 'datetime', 'When the gateway settled the payment.'),
    f('CancelledOn', 'datetime', 'When the payment was canceled.'),
    f('Comment', 'string', 'Free-text comment on the payment.'),
    ...audit('payment'),
  ]),
  object('PaymentMethod', 'A way an account pays: a card, bank account, PayPal or another method.', [
    f('Id', 'string', 'Unique id of the payment method.'),
    f('AccountId', 'string', 'Id of the account the payment method belongs to.'),
    f('Type', 'string', 'Kind of payment method.', ['CreditCard', 'DebitCard', 'ACH', 'BankTransfer', 'PayPal', 'Other']),
    f('PaymentMethodStatus', 'string', 'Whether the payment method can be used.', ['Active', 'Closed']),
    f('CreditCardType', 'string', 'Card brand.', ['Visa', 'MasterCard', 'AmericanExpress', 'Discover', 'JCB', 'Diners']),
    f('CreditCardMaskNumber', 'string', 'Card number with all but the last four digits masked.'),
    f('CreditCardHolderName', 'string', 'Name on the card.'),
    f('CreditCardExpirationMonth', 'integer', 'Expiry month of the card (1-12).'),
    f('CreditCardExpirationYear', 'integer', 'Expiry year of the card, e.g. 2027.'),
    f('AchBankName', 'string', 'Name of the bank of an ACH account.'),
    f('AchAccountType', 'string', 'Kind of ACH bank account.', ['Checking', 'Saving', 'BusinessChecking']),
    f('AchAccountNumberMask', 'string', 'ACH account number with all but the last four digits masked.'),
    f('BankTransferAccountName', 'string', 'Holder name of the bank account for bank transfers.'),
    f('PaypalEmail', 'string', 'Email address of the PayPal account.'),
    f('LastTransactionDateTime', 'datetime', 'When the payment method was last charged.'),
    f('LastTransactionStatus', 'string', 'Result of the last charge, e.g. Approved or Declined.'),
    f('NumConsecutiveFailures', 'integer', 'Number of failed charges in a row.'),
    f('MaxConsecutivePaymentFailures', 'integer', 'Failed charges in a row after which retries stop.'),
    f('TotalNumberOfProcessedPayments', 'integer', 'Number of successful payments made with the method.'),
    f('TotalNumberOfErrorPayments', 'integer', 'Number of failed payments made with the method.'),
    ...audit('payment method'),
  ]),
  object('CreditMemo', 'A credit to an account, e.g. for a refund, a billing error or a goodwill gesture.', [
    f('Id', 'string', 'Unique id of the credit memo.'),
    f('AccountId', 'string', 'Id of the account that is credited.'),
    f('MemoNumber', 'string', 'The credit memo number, e.g. CM00000012.'),
    f('MemoDate', 'date', 'Day the credit memo is dated.'),
    f('TargetDate', 'date', 'Day up to which charges were credited.'),
    f('Status', 'string', 'Lifecycle status of the credit memo.', ['Draft', 'Posted', 'Canceled', 'Error']),
    f('Amount', 'number', 'Total of the credit memo, including tax.'),
    f('TaxAmount', 'number', 'Tax on the credit memo.'),
    f('Balance', 'number', 'Amount of credit not yet applied or refunded.'),
    f('AppliedAmount', 'number', 'Amount applied to invoices.'),
    f('RefundAmount', 'number', 'Amount refunded to the customer.'),
    f('Currency', 'string', 'Currency of the credit memo (ISO 4217, e.g. EUR).'),
    f('ReasonCode', 'string', 'Why the credit was given, e.g. Correcting invoice error.'),
    f('Source', 'string', 'What created the credit memo.', ['Subscription', 'Standalone', 'Invoice', 'Order', 'Consolidation']),
    f('ReferredInvoiceId', 'string', 'Id of the invoice the credit memo was created from.'),
    f('PostedOn', 'datetime', 'When the credit memo was posted.'),
    f('PostedById', 'string', 'Id of the user who posted the credit memo.'),
    f('Comments', 'string', 'Comments kept with the credit memo.'),
    ...audit('credit memo'),
  ]),
  object('Usage', 'A usage record: a quantity consumed by an account for a usage charge over a period.', [
    f('Id', 'string', 'Unique id of the usage record.'),
    f('AccountId', 'string', 'Id of the account that consumed.'),
    f('AccountNumber', 'string', 'Number of the account that consumed.'),
    f('SubscriptionId', 'string', 'Id of the subscription the usage is billed under.'),
    f('SubscriptionNumber', 'string', 'Number of the subscription the usage is billed under.'),
    f('ChargeId', 'string', 'Id of the usage charge the record is rated with.'),
    f('ChargeNumber', 'string', 'Number of the usage charge the record is rated with.'),
    f('UOM', 'string', 'Unit of measure, e.g. GB or API call; must match the charge.'),
    f('Quantity', 'number', 'Quantity consumed.'),
    f('StartDateTime', 'datetime', 'Start of the consumption period.'),
    f('EndDateTime', 'datetime', 'End of the consumption period.'),
    f('Status', 'string', 'Whether the record has been billed.', ['Importing', 'Pending', 'Processed']),
    f('ImportId', 'string', 'Id of the import (file upload) the record came with.'),
    f('SourceType', 'string', 'How the record arrived.', ['Import', 'API']),
    f('UniqueKey', 'string', 'Key that makes the record unique, to keep duplicates out.'),
    f('InvoiceId', 'string', 'Id of the invoice that billed the record.'),
    f('InvoiceNumber', 'string', 'Number of the invoice that billed the record.'),
    f('Description', 'string', 'Free-text description of the record.'),
    ...audit('usage record'),
  ]),
]);

function deepFreeze(objects: BillingObject[]): readonly BillingObject[] {
  for (const o of objects) {
    for (const field of o.fields) Object.freeze(field);
    Object.freeze(o.fields);
    Object.freeze(o);
  }
  return Object.freeze(objects);
}

// Lookups run on every keystroke, and for every field of every change received: one map per object list and
// per object, built on first use, keyed by each name as written and lowercased. Names are unique
// case-insensitively, so both keys of a name lead to it; the name as written is found without lowercasing it.
const objectMaps = new WeakMap<readonly BillingObject[], Map<string, BillingObject>>();
const fieldMaps = new WeakMap<BillingObject, Map<string, ObjectField>>();

function nameMap<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.flatMap((item) => [[item.name.toLowerCase(), item] as const, [item.name, item] as const]));
}

/** The object named `name`, case-insensitively (`PRODUCTRATEPLAN` finds ProductRatePlan). */
export function findObject(objects: readonly BillingObject[], name: string): BillingObject | undefined {
  let map = objectMaps.get(objects);
  if (!map) objectMaps.set(objects, (map = nameMap(objects)));
  return map.get(name) ?? map.get(name.toLowerCase());
}

/** The field of `object` named `name`, case-insensitively (`externalsystem__c` finds ExternalSystem__c). */
export function findField(object: BillingObject, name: string): ObjectField | undefined {
  let map = fieldMaps.get(object);
  if (!map) fieldMaps.set(object, (map = nameMap(object.fields)));
  return map.get(name) ?? map.get(name.toLowerCase());
}

const CUSTOM_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*__c$/;

/**
 * New objects with a workspace's custom fields added (marked `custom: true`). Keys of `custom` name objects
 * case-insensitively. Throws an AppError naming the field when a name does not end in `__c`, or clashes
 * with a field of the object (case-insensitively), and naming the object when there is no such object.
 */
export function withCustomFields(objects: readonly BillingObject[], custom: Record<string, ObjectField[]>): BillingObject[] {
  const added = new Map<BillingObject, ObjectField[]>();
  for (const [objectName, fields] of Object.entries(custom)) {
    const target = findObject(objects, objectName);
    if (!target) {
      const hint = suggest(objectName, objects.map((o) => o.name));
      const didYouMean = hint.length > 0 ? ` Did you mean ${hint.join(' or ')}?` : '';
      throw new AppError('UNKNOWN_OBJECT', `There is no object “${objectName}” to add custom fields to.${didYouMean}`);
    }
    const list = added.get(target) ?? [];
    added.set(target, list);
    const taken = new Set([...target.fields, ...list].map((field) => field.name.toLowerCase()));
    for (const field of fields) {
      const qualified = `${target.name}.${field.name}`;
      if (!CUSTOM_FIELD_NAME.test(field.name)) {
        throw new AppError(
          'INVALID_CUSTOM_FIELD',
          `Custom field “${qualified}” must end in “__c” and use only letters, digits and “_”, starting with a letter.`,
        );
      }
      if (taken.has(field.name.toLowerCase())) {
        throw new AppError('CUSTOM_FIELD_CLASH', `Custom field “${qualified}” clashes with a field of the same name on ${target.name}.`);
      }
      taken.add(field.name.toLowerCase());
      list.push({ ...field, custom: true });
    }
  }
  return objects.map((o) => ({ ...o, fields: [...o.fields, ...(added.get(o) ?? [])] }));
}

export { suggest };
