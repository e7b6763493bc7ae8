-- DropForeignKey
ALTER TABLE "AutomationLetterVariant" DROP CONSTRAINT "AutomationLetterVariant_designId_fkey";

-- AddForeignKey
ALTER TABLE "AutomationLetterVariant" ADD CONSTRAINT "AutomationLetterVariant_designId_fkey" FOREIGN KEY ("designId") REFERENCES "LetterDesign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

